using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// The silo program in its own process (as on a controller), so that its CPU time and memory are measured apart
/// from the simulator and the receiver, which run in the benchmark's process.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly BuiltProgram EmptySilo = new(Path.Combine("tests", "Evok.Orleans.Benchmarks.EmptySilo"), "empty-silo.dll");

    private readonly Process _process;
    private readonly string? _folder;

    private SiloProcess(Process process, string? folder, int apiPort)
    {
        _process = process;
        _folder = folder;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
    }

    public HttpClient Api { get; }

    public int ProcessId => _process.Id;

    /// <summary>The Orleans gateway client apps connect to (0 for the empty silo).</summary>
    public int GatewayPort { get; private set; }

    /// <summary>
    /// The product silo, polling the boards of the config made for its API port; <paramref name="environment"/> is
    /// added to the unit's.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(Func<int, string> configYaml, IReadOnlyDictionary<string, string>? environment = null, string? program = null)
    {
        var folder = Directory.CreateTempSubdirectory("evok-bench-").FullName;
        var config = Path.Combine(folder, "config.yaml");
        var gatewayPort = 0;
        var silo = await StartAsync(program ?? BuiltProgram.Silo.Path, folder, environment, apiPort =>
        {
            File.WriteAllText(config, configYaml(apiPort));
            gatewayPort = FreeTcpPort.Next();
            return ["--config", config, "--silo-port", Port(FreeTcpPort.Next()), "--gateway-port", Port(gatewayPort)];
        });
        silo.GatewayPort = gatewayPort;
        return silo;
    }

    /// <summary>An Orleans silo and web host with nothing of ours (<c>tests/Evok.Orleans.Benchmarks.EmptySilo</c>): the floor.</summary>
    public static Task<SiloProcess> StartEmptyAsync() =>
        StartAsync(EmptySilo.Path, folder: null, environment: null, apiPort => [Port(apiPort), Port(FreeTcpPort.Next()), Port(FreeTcpPort.Next())]);

    private static async Task<SiloProcess> StartAsync(
        string program, string? folder, IReadOnlyDictionary<string, string>? environment, Func<int, string[]> arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var apiPort = FreeTcpPort.Next();
            var silo = new SiloProcess(Launch(program, arguments(apiPort), environment), folder, apiPort);
            if (await silo.AnswersAsync())
            {
                return silo;
            }

            // A port that was free when picked can be taken before the silo binds it (by any socket's ephemeral
            // port: no picker can close that race), and the silo then exits; start it again on new ports.
            if (attempt == 3)
            {
                await silo.DisposeAsync();
                throw new InvalidOperationException($"{program} exited before answering, three times; its output is above");
            }

            silo.Abandon();
        }
    }

    /// <summary>
    /// Runs a .dll with dotnet; anything else (a package's program) as it is, or, when it is an arm64 program on
    /// another machine, under Debian's qemu-aarch64-static.
    /// </summary>
    private static Process Launch(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var (launcher, first) = program.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", program)
            : Arm64Emulation.IsNeededFor(program) ? (Arm64Emulation.Emulator, program)
            : (program, null);
        var info = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (first is not null)
        {
            info.ArgumentList.Add(first);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // As deployed: the environment of the shipped systemd unit (log level, GC settings).
        foreach (var (name, value) in DeployedEnvironment().Concat(environment?.Select(setting => (setting.Key, setting.Value)) ?? []))
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) Console.Error.WriteLine($"silo: {line.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until <c>GET /status</c> succeeds (true) or the process exits (false); 5 minutes at most (an emulated start).</summary>
    private async Task<bool> AnswersAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                if ((await Api.GetAsync("status")).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited)
                {
                    return false;
                }
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Lets go of a process that exited at start, keeping the folder for the next attempt.</summary>
    private void Abandon()
    {
        Api.Dispose();
        _process.Dispose();
    }

    /// <summary>User + system CPU time of the silo process so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
    }

    /// <summary>
    /// Bytes the silo process has caused to be written to storage so far (<c>/proc/&lt;pid&gt;/io</c> write_bytes: what
    /// reaches the block device, the journal's WAL and checkpoints included), the figure that wears a controller's flash.
    /// </summary>
    public long WrittenBytes =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/io").First(l => l.StartsWith("write_bytes:", StringComparison.Ordinal))["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);

    /// <summary>The silo's CPU over the next <paramref name="window"/>, in % of one core.</summary>
    public async Task<double> CpuPercentOverAsync(TimeSpan window)
    {
        var before = CpuTime;
        await Task.Delay(window);
        return (CpuTime - before).TotalSeconds / window.TotalSeconds * 100;
    }

    /// <summary>Resident memory of the silo process, in MB.</summary>
    public double RssMegabytes => Status("VmRSS:") / 1024.0;

    /// <summary>
    /// The file-backed part of <see cref="RssMegabytes"/>: mapped program files (ReadyToRun code among them), clean
    /// pages the kernel can drop and read again, unlike the heap.
    /// </summary>
    public double FileRssMegabytes => Status("RssFile:") / 1024.0;

    /// <summary>The silo's threads: a burst that makes the thread pool grow costs RSS (stacks) that no GC returns.</summary>
    public long Threads => Status("Threads:");

    private long Status(string key)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The silo's evok_memory_trims_total, read from /metrics (0 before the first trim).</summary>
    public async Task<long> MemoryTrimsAsync() => (long)await MetricAsync("evok_memory_trims_total");

    /// <summary>
    /// Time the silo's JIT compiler has spent so far (dotnet.jit.compilation.time), on any thread. Methods called once a
    /// second (Kestrel's heartbeat, Orleans' statistics) are compiled again, optimised, ~30 s after the start, inside a
    /// window that starts then: a controller pays it once; this figure tells it apart from the steady cost.
    /// </summary>
    public async Task<TimeSpan> JitTimeAsync() => TimeSpan.FromSeconds(await MetricAsync("dotnet_jit_compilation_time_seconds_total"));

    /// <summary>A series of the silo's /metrics, summed over its labels (0 when it has none yet).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var metrics = await Api.GetStringAsync("metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    public async Task<long> TotalScansAsync()
    {
        using var status = System.Text.Json.JsonDocument.Parse(await Api.GetStringAsync("status"));
        return status.RootElement.GetProperty("devices").EnumerateArray().Sum(device => device.GetProperty("scans").GetInt64());
    }

    /// <summary>kill -9: the controller loses power.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _ = ExternalProcess.Terminate(_process);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The <c>Environment=</c> lines of <c>deploy/evok-orleans.service</c>.</summary>
    private static IEnumerable<(string Name, string Value)> DeployedEnvironment()
    {
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot.Path, "deploy", "evok-orleans.service")))
        {
            if (line.StartsWith("Environment=", StringComparison.Ordinal) && line["Environment=".Length..].Split('=', 2) is [var name, var value])
            {
                yield return (name, value);
            }
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
