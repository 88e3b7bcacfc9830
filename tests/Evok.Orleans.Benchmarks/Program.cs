using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Evok.Orleans.Benchmarks;
using Evok.Orleans.TestSupport;

// Usage: Evok.Orleans.Benchmarks [--short] [flips|a|b|journal|idle|startup|packages|mqtt|stream|cluster|failover|sitetls|sitereads|floor|rtu|onewire|hostile|burst|soak|hold ...]
//        Evok.Orleans.Benchmarks ab NAME=VALUE ...  (scenario (b) as shipped and with these settings, side by side: apis.KEY=VALUE in the config, others in the environment)
//        Evok.Orleans.Benchmarks micro        (BenchmarkDotNet micro-benchmarks of the hot paths; Release build)
//   no scenario names: every scenario but soak (10 minutes, or --minutes=N), hold, ab, journal and packages. --short: seconds instead of minutes, for CI (figures only).
if (args.FirstOrDefault() == "micro")
{
    BenchmarkDotNet.Running.BenchmarkRunner.Run([typeof(Evok.Orleans.Benchmarks.Micro.HotPathBenchmarks), typeof(Evok.Orleans.Benchmarks.Micro.BusScanBenchmarks)], args: [.. args.Skip(1)]);
    return 0;
}

var isShort = args.Contains("--short");
var chosen = args.Where(arg => !arg.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
bool Runs(string name) => chosen.Count == 0 || chosen.Contains(name);

// NAME=VALUE arguments: what differs from the silo as shipped, apis.KEY=VALUE in its config, silo=PATH another build, others in its environment (ab, hostile, hold, startup).
var siloSettings = SiloSettings.Parse(chosen);
var lost = 0;

if (Runs("flips"))
{
    var summary = await RelayFlipLatency.RunAsync(isShort ? 20 : 100, scanFrequency: 50);
    Console.WriteLine(summary.Format());
    lost += summary.Lost;
}

if (Runs("a"))
{
    var result = await SiteScenario.RunAsync(new ScenarioOptions(
        "(a) 1 board x 8 circuits, 2 changes/s", 1, 8, 2, TimeSpan.FromSeconds(isShort ? 5 : 30), TimeSpan.FromSeconds(isShort ? 2 : 10),
        TimeSpan.FromSeconds(isShort ? 2 : 15)));
    Console.WriteLine(result.Format());
    lost += result.Fast.Lost + result.Slow.Lost;
}

ScenarioOptions ScenarioB(string label, SiloSettings? silo = null)
{
    var boards = isShort ? 8 : 64;
    return new ScenarioOptions(
        $"{label} {boards} boards x 16 circuits, {(isShort ? 25 : 200)} changes/s", boards, 16, isShort ? 25 : 200,
        TimeSpan.FromSeconds(isShort ? 5 : 30), TimeSpan.FromSeconds(isShort ? 2 : 10), TimeSpan.FromSeconds(isShort ? 2 : 15), silo);
}

if (Runs("b"))
{
    var result = await SiteScenario.RunAsync(ScenarioB("(b)"));
    Console.WriteLine(result.Format());
    lost += result.Fast.Lost + result.Slow.Lost;
}

// Not part of the default set: scenario (b) twice at the same time, the silo as shipped (A) and with the NAME=VALUE
// arguments (B). Both share whatever else loads this machine: compare B with A of the same
// run, not with other runs.
if (chosen.Contains("ab"))
{
    var results = await Task.WhenAll(
        SiteScenario.RunAsync(ScenarioB("(A)")),
        SiteScenario.RunAsync(ScenarioB($"(B) {siloSettings}", siloSettings)));
    foreach (var result in results)
    {
        Console.WriteLine(result.Format());
        lost += result.Fast.Lost + result.Slow.Lost;
    }
}

// Not part of the default set: scenario (b) three times at the same time, as shipped (A: the journal in SQLite), with
// storage: memory (B: nothing written, the store's cost) and as shipped with the receiver answering 503 through the
// measured run (C: what a receiver that is away costs the flash). (C) delivers nothing in its window by design.
if (chosen.Contains("journal"))
{
    var memory = SiloSettings.AsShipped with { ConfigSections = "storage:\n  type: memory\n" };
    var results = await Task.WhenAll(
        SiteScenario.RunAsync(ScenarioB("(A) sqlite")),
        SiteScenario.RunAsync(ScenarioB("(B) memory", memory)),
        SiteScenario.RunAsync(ScenarioB("(C) sqlite, receiver down") with { ReceiverDown = true }));
    foreach (var result in results)
    {
        Console.WriteLine(result.Format());
    }

    lost += results[0].Fast.Lost + results[0].Slow.Lost + results[1].Fast.Lost + results[1].Slow.Lost;
}

// Not part of the default set: scenario (b) for 10 minutes (or --minutes=N), RSS sampled every 30 s (is memory flat?).
if (chosen.Contains("soak"))
{
    var minutes = args.Where(arg => arg.StartsWith("--minutes=", StringComparison.Ordinal))
        .Select(arg => double.Parse(arg["--minutes=".Length..], CultureInfo.InvariantCulture)).DefaultIfEmpty(isShort ? 0.5 : 10).Last();
    var result = await SiteScenario.RunAsync(new ScenarioOptions(
        string.Create(CultureInfo.InvariantCulture, $"(b-soak) 64 boards x 16 circuits, 200 changes/s, {minutes} min"), 64, 16, 200,
        TimeSpan.FromMinutes(minutes), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)));
    Console.WriteLine(result.Format());
    lost += result.Fast.Lost + result.Slow.Lost;
}

if (Runs("idle"))
{
    foreach (var boards in new[] { 1, 64 })
    {
        Console.WriteLine(await IdleScenario.RunAsync(boards, TimeSpan.FromSeconds(isShort ? 2 : 20), TimeSpan.FromSeconds(isShort ? 3 : 20)));
    }
}

if (Runs("startup"))
{
    foreach (var boards in new[] { 1, 64 })
    {
        Console.WriteLine(await StartupScenario.RunAsync(boards, siloSettings));
    }
}

// Not part of the default set (it builds four packages and runs each for a minute, one under qemu): the packages'
// start-up, JIT only against ReadyToRun, amd64 here and arm64 emulated.
if (chosen.Contains("packages"))
{
    Console.WriteLine(await PackageStartupScenario.RunAsync(isShort));
}

// Scenario (b) twice at the same time, as shipped (A) and with MQTT to Debian's mosquitto (B): change -> MQTT
// message delays, and what publishing costs (B's CPU against A's of the same run).
if (Runs("mqtt"))
{
    await using var broker = await MosquittoBroker.StartAsync();
    var results = await Task.WhenAll(
        SiteScenario.RunAsync(ScenarioB("(A)")),
        SiteScenario.RunAsync(ScenarioB("(B) mqtt") with { MqttBrokerPort = broker.Port }));
    foreach (var result in results)
    {
        Console.WriteLine(result.Format());
        lost += result.Fast.Lost + result.Slow.Lost + (result.Observed?.Lost ?? 0);
    }
}

// Scenario (b) three times at the same time: as shipped (A), with an Orleans client app watching every change through
// EvokClient.WatchAsync (B, grain observers) and through the controller's Orleans stream (C, apis.orleans_stream):
// change -> client delays, and what each feed costs the silo.
if (Runs("stream"))
{
    var results = await Task.WhenAll(
        SiteScenario.RunAsync(ScenarioB("(A)")),
        SiteScenario.RunAsync(ScenarioB("(B) watch") with { ClientFeed = ClientFeed.Watch }),
        SiteScenario.RunAsync(ScenarioB("(C) stream") with { ClientFeed = ClientFeed.Stream }));
    foreach (var result in results)
    {
        Console.WriteLine(result.Format());
        lost += result.Fast.Lost + result.Slow.Lost + (result.Observed?.Lost ?? 0);
    }
}

if (Runs("cluster"))
{
    Console.WriteLine(await ClusterScenario.RunAsync((label, silo) => ScenarioB(label, silo), isShort ? 200 : 1000));
}

if (Runs("failover"))
{
    Console.WriteLine(await FailoverScenario.RunAsync(isShort ? 4 : 64, isShort ? 1 : 5));
}

// Not part of the default set: only the cluster's REST reads through plc1, with the NAME=VALUE settings on every silo.
if (chosen.Contains("sitereads"))
{
    Console.WriteLine(await ClusterScenario.RunReadsAsync(isShort ? 8 : 64, isShort ? 200 : 1000, siloSettings));
}

// Not part of the default set (it runs the site twice): what cluster.tls costs, side by side with the site in the clear.
if (chosen.Contains("sitetls"))
{
    Console.WriteLine(await ClusterScenario.RunTlsAsync((label, silo) => ScenarioB(label, silo), isShort ? 200 : 1000));
}

if (Runs("floor"))
{
    Console.WriteLine(await FloorScenario.RunAsync(TimeSpan.FromSeconds(isShort ? 2 : 20), TimeSpan.FromSeconds(isShort ? 3 : 20)));
}

// Not part of the default set: 64 polled boards held for an hour (SIGINT or SIGTERM ends it), to attach profilers to the silo.
if (chosen.Contains("hold"))
{
    await using var site = await BenchmarkSite.StartAsync(64, siloSettings);
    Console.WriteLine($"silo pid {site.Silo.ProcessId}, API {site.Silo.Api.BaseAddress}: 64 boards polled, nothing changes; Ctrl+C ends");
    using var stop = new CancellationTokenSource(TimeSpan.FromHours(1));
    void Stop(PosixSignalContext signal)
    {
        signal.Cancel = true;
        stop.Cancel();
    }

    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
}

if (Runs("rtu"))
{
    foreach (var baud in new[] { 19200, 115200 })
    {
        Console.WriteLine(await RtuScenario.ThroughputAsync(baud, TimeSpan.FromSeconds(isShort ? 2 : 10)));
    }

    var summary = await RtuScenario.InputLatencyAsync(isShort ? 10 : 100);
    Console.WriteLine(summary.Format());
    lost += summary.Lost;
}

if (Runs("onewire"))
{
    Console.WriteLine(await OneWireScenario.ReadRateAsync(TimeSpan.FromSeconds(isShort ? 2 : 10)));
    var summary = await OneWireScenario.TemperatureLatencyAsync(isShort ? 10 : 100);
    Console.WriteLine(summary.Format());
    lost += summary.Lost;
}

if (Runs("hostile"))
{
    // NAME=VALUE arguments change the silo (to try GC settings against these rows).
    Console.WriteLine(await HostileScenario.RunAsync(isShort ? 5 : 20, siloSettings));
}

if (Runs("burst"))
{
    Console.WriteLine(await BurstScenario.RunAsync(isShort ? 8 : 64, isShort ? 1_000 : 10_000));
}

using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"benchmark process: cpu={self.TotalProcessorTime.TotalSeconds:0.00}s"));
// In CI (--short) the figures are information only; a full run reports lost events through its exit code.
return isShort || lost == 0 ? 0 : 1;
