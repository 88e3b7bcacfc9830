using System.Net;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Package;

/// <summary>
/// The amd64 package as <c>deploy/package.sh</c> builds it: what dpkg sees (control, conffiles, maintainer scripts,
/// the hardened unit), unpacked into a scratch root, and the silo and CLI started from there against the simulator.
/// </summary>
public sealed class DebianPackageTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("evok-deb-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task The_amd64_package_holds_a_hardened_service_and_its_silo_runs_from_the_unpacked_tree()
    {
        var built = await ExternalProcess.RunAsync(Path.Combine(RepositoryRoot.Path, "deploy", "package.sh"), ["amd64", Path.Combine(_scratch, "out")], TimeSpan.FromMinutes(10));
        Assert.True(built.ExitCode == 0, built.Error);
        var package = built.Output.Trim();

        var info = await Dpkg("-I", package);
        Assert.Contains("Package: evok-orleans", info, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64", info, StringComparison.Ordinal);
        var root = Path.Combine(_scratch, "root");
        await Dpkg("-x", package, root);
        await Dpkg("-e", package, Path.Combine(root, "DEBIAN"));

        Assert.Equal("/etc/evok-orleans/config.yaml", (await File.ReadAllTextAsync(Path.Combine(root, "DEBIAN", "conffiles"))).Trim());
        var postinst = await File.ReadAllTextAsync(Path.Combine(root, "DEBIAN", "postinst"));
        Assert.Contains("adduser --system --group", postinst, StringComparison.Ordinal);
        Assert.Contains("evok-orleans dialout", postinst, StringComparison.Ordinal);
        var unit = (await File.ReadAllLinesAsync(Path.Combine(root, "lib", "systemd", "system", "evok-orleans.service"))).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(unit, new HashSet<string>(StringComparer.Ordinal)
        {
            "User=evok-orleans", "SupplementaryGroups=dialout", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
            "CapabilityBoundingSet=", "AmbientCapabilities=", "StateDirectory=evok-orleans", "WatchdogSec=30", "Type=notify",
        });
        Assert.Contains(unit, line => line.StartsWith("ExecStart=/opt/evok-orleans/evok-orleans-silo --config ${EVOK_CONFIG} --state-dir /var/lib/evok-orleans", StringComparison.Ordinal));

        // The program runs from the package's tree alone (self-contained: no dotnet on PATH needed).
        var program = Path.Combine(root, "opt", "evok-orleans");
        var token = await ExternalProcess.RunAsync(Path.Combine(program, "evok-orleans"), ["token", "create", "scada", "write"], TimeSpan.FromSeconds(60));
        Assert.Equal(0, token.ExitCode);
        Assert.StartsWith("token: evk_", token.Output, StringComparison.Ordinal);

        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var apiPort = FreeTcpPort.Next();
        var config = Path.Combine(_scratch, "config.yaml");
        await File.WriteAllTextAsync(config, $"apis: {{port: {apiPort}, orleans_dashboard: false}}\n{SimulatedSite.NeuronConfigYaml(neuron)}\n");
        var state = Directory.CreateDirectory(Path.Combine(_scratch, "state")).FullName;
        using var silo = ExternalProcess.Start(Path.Combine(program, "evok-orleans-silo"),
            ["--config", config, "--state-dir", state, "--silo-port", FreeTcpPort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--gateway-port", FreeTcpPort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            HttpStatusCode? status = null;
            while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && !silo.HasExited)
            {
                await Task.Delay(250);
                status = await StatusAsync(http, "rest/relay/2_04");
            }

            Assert.Equal(HttpStatusCode.OK, status);
            await http.PostAsync("rest/relay/2_04", new FormUrlEncodedContent([new("alias", "pump")]));
            Assert.True(File.Exists(Path.Combine(state, "aliases.yaml")), "aliases go to --state-dir");
            Assert.True(ExternalProcess.Terminate(silo));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.WaitForExitAsync(stop.Token);
            Assert.Equal(0, silo.ExitCode);
        }
        finally
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string> Dpkg(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync("dpkg-deb", arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"dpkg-deb {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }
}
