using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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

    /// <summary>The product silo, polling the boards of <paramref name="configYaml"/>; <paramref name="environment"/> is added to the unit's.</summary>
    public static async Task<SiloProcess> StartAsync(string configYaml, int apiPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Directory.CreateTempSubdirectory("evok-bench-").FullName;
        var config = Path.Combine(folder, "config.yaml");
        await File.WriteAllTextAsync(config, configYaml);
        return await StartAsync(BuiltProgram.Silo, ["--config", config, "--silo-port", Port(FreeTcpPort.Next()), "--gateway-port", Port(FreeTcpPort.Next())], apiPort, folder, environment);
    }

    /// <summary>An Orleans silo and web host with nothing of ours (<c>tests/Evok.Orleans.Benchmarks.EmptySilo</c>): the floor.</summary>
    public static Task<SiloProcess> StartEmptyAsync()
    {
        var apiPort = FreeTcpPort.Next();
        return StartAsync(EmptySilo, [Port(apiPort), Port(FreeTcpPort.Next()), Port(FreeTcpPort.Next())], apiPort, folder: null, environment: null);
    }

    private static async Task<SiloProcess> StartAsync(
        BuiltProgram program, string[] arguments, int apiPort, string? folder, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(program.Path);
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
        var silo = new SiloProcess(process, folder, apiPort);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await silo.Api.GetAsync("status")).IsSuccessStatusCode)
                {
                    return silo;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            await Task.Delay(200);
        }
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

    /// <summary>Resident memory of the silo process, in MB.</summary>
    public double RssMegabytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
    }

    public async Task<long> TotalScansAsync()
    {
        using var status = System.Text.Json.JsonDocument.Parse(await Api.GetStringAsync("status"));
        return status.RootElement.GetProperty("devices").EnumerateArray().Sum(device => device.GetProperty("scans").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
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
        var root = new DirectoryInfo(Path.GetDirectoryName(BuiltProgram.Silo.Path)!);
        while (!File.Exists(Path.Combine(root.FullName, "Evok.Orleans.sln")))
        {
            root = root.Parent ?? throw new DirectoryNotFoundException("Evok.Orleans.sln not found above the silo");
        }

        foreach (var line in File.ReadLines(Path.Combine(root.FullName, "deploy", "evok-orleans.service")))
        {
            if (line.StartsWith("Environment=", StringComparison.Ordinal) && line["Environment=".Length..].Split('=', 2) is [var name, var value])
            {
                yield return (name, value);
            }
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
