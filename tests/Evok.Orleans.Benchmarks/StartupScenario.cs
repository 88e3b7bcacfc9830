using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Issue 16, start-up: from launching the silo program (as shipped) to <c>/rest/all</c> answering, to the first
/// webhook of the initial state, and to every board's initial state delivered.
/// </summary>
internal static class StartupScenario
{
    public static async Task<string> RunAsync(int boards, SiloSettings settings)
    {
        var figures = await MeasureAsync(boards, settings);
        return string.Create(CultureInfo.InvariantCulture,
            $"startup {boards} boards: /rest/all answers after {figures.RestAll.TotalSeconds:0.00}s, first webhook {figures.FirstWebhook.TotalSeconds:0.00}s, every board's initial state {figures.EveryBoard.TotalSeconds:0.00}s (from launching the program), cpu until then {figures.CpuUntilThen.TotalSeconds:0.00}s");
    }

    /// <summary>
    /// Starts the silo of <paramref name="settings"/> on <paramref name="boards"/> simulated boards; with a
    /// <paramref name="window"/>, also waits until that long after the launch and takes its CPU time and memory then.
    /// </summary>
    public static async Task<StartupFigures> MeasureAsync(int boards, SiloSettings settings, TimeSpan? window = null)
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        await using var simulator = new ModbusTcpSimulator(Enumerable.Range(1, boards).Select(unit => new SimulatedBoard((byte)unit, model)));
        simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        TimeSpan? restAll = null;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var polling = Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        await using var silo = await SiloProcess.StartAsync(apiPort =>
        {
            started = Stopwatch.GetTimestamp();
            polling = Task.Run(async () => restAll = await FirstAnswerAsync(apiPort, started, stop.Token));
            return SiteScenario.Config(simulator.Port, boards, receiver.Address, apiPort, settings);
        }, settings.Environment, settings.Program);
        var firstWebhook = Stopwatch.GetElapsedTime(started, await BenchmarkSite.WaitForInitialStatesAsync(receiver, boards));
        var everyBoard = Stopwatch.GetElapsedTime(started);
        var cpu = silo.CpuTime;
        await polling;
        if (window is not { } length)
        {
            return new StartupFigures(restAll!.Value, firstWebhook, everyBoard, cpu, null, null, null);
        }

        var left = length - Stopwatch.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        return new StartupFigures(restAll!.Value, firstWebhook, everyBoard, cpu, silo.CpuTime, silo.RssMegabytes, silo.FileRssMegabytes);
    }

    private static async Task<TimeSpan> FirstAnswerAsync(int apiPort, long started, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("rest/all", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10, cancellationToken);
        }
    }
}
