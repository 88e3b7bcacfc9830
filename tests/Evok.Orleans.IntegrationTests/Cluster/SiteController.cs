using System.Diagnostics;
using System.Globalization;
using System.Text;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// One controller of a test site: its own simulated Neuron (boards "1" and "2", named as on every stock controller),
/// its own config.yaml with a <c>cluster</c> section, and the silo program run as its own process on free ports.
/// </summary>
public sealed class SiteController : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-node-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="apis">More keys of the <c>apis</c> section, indented by two spaces.</param>
    /// <param name="sections">More top-level sections.</param>
    /// <param name="channels">More comm channels, indented by two spaces.</param>
    /// <param name="tls">The <c>cluster.tls</c> files.</param>
    /// <param name="store">The connection string of the site's membership store, of type <paramref name="membership"/>.</param>
    public SiteController(
        string site,
        string node,
        string store,
        string apis = "",
        string sections = "",
        (string Ca, string Certificate, string Key)? tls = null,
        string membership = "redis",
        string channels = "")
    {
        Node = node;
        Simulator.Start();
        File.WriteAllText(ConfigPath, $"""
            {SimulatedSite.NeuronConfigYaml(Simulator)}
            {channels}
            {sections}
            apis:
              port: {ApiPort}
            {apis}
            {ClusterSection.Yaml(site, node, store, SiloPort, GatewayPort, tls, membership)}
            """);
        Http.BaseAddress = new Uri($"http://127.0.0.1:{ApiPort.ToString(CultureInfo.InvariantCulture)}/");
    }

    public string Node { get; }

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public int ApiPort { get; } = FreeTcpPort.Next();

    public int SiloPort { get; } = FreeTcpPort.Next();

    public int GatewayPort { get; } = FreeTcpPort.Next();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string ConfigPath => Path.Combine(_folder, "config.yaml");

    /// <summary>What the silo printed so far (for a failing assertion's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Start()
    {
        _process = BuiltProgram.Silo.Start("--config", ConfigPath);
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until this controller's API answers for its own devices.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                if ((await Http.GetAsync("rest/relay/2_01", deadline.Token)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Node} did not serve within {timeout.TotalSeconds} s:\n{Output}");
            }

            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{Node} exited with {_process.ExitCode}:\n{Output}");
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>SIGTERM, as systemd stops it; waits until it has.</summary>
    public async Task StopAsync()
    {
        ExternalProcess.Terminate(_process!);
        await _process!.WaitForExitAsync();
    }

    /// <summary>kill -9: the controller loses power.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            ExternalProcess.Terminate(_process);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill();
            }
        }

        _process?.Dispose();
        Http.Dispose();
        await Simulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
