using System.Globalization;
using System.Net;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Package;

/// <summary>
/// The packages as <c>deploy/package.sh</c> builds them: what dpkg sees (control, conffiles, maintainer scripts,
/// the hardened unit), unpacked into a scratch root, and the silo started from there against the simulator: the
/// amd64 one natively, the arm64 one under Debian's qemu-aarch64-static with Debian's arm64 libraries (multiarch), and
/// the framework-dependent one (<c>all</c>, armhf's) with this machine's .NET runtime.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed class DebianPackageTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("evok-deb-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task The_amd64_package_holds_a_hardened_service_and_its_silo_runs_from_the_unpacked_tree()
    {
        var package = await BuildAsync("amd64");

        var info = await Dpkg("-I", package);
        Assert.Contains("Package: evok-orleans", info, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64", info, StringComparison.Ordinal);
        var root = await UnpackAsync(package);
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

        var state = await RunSiloAsync(Path.Combine(program, "evok-orleans-silo"), [], environment: null, TimeSpan.FromSeconds(60));
        Assert.True(File.Exists(Path.Combine(state, "aliases.yaml")), "aliases go to --state-dir");
    }

    [Fact]
    public async Task The_arm64_package_runs_under_qemu_answers_rest_all_and_switches_a_relay()
    {
        var program = Path.Combine(await UnpackAsync(await BuildAsync("arm64")), "opt", "evok-orleans", "evok-orleans-silo");

        // BuildAsync checked that it is an AArch64 program: on any other machine, qemu runs it.
        if (Arm64Emulation.IsNeededFor(program))
        {
            await RunSiloAsync(Arm64Emulation.Emulator, [program], Arm64Emulation.Environment, TimeSpan.FromMinutes(4));
        }
        else
        {
            await RunSiloAsync(program, [], environment: null, TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task The_framework_dependent_package_runs_with_the_controllers_dotnet_and_says_when_there_is_none()
    {
        var package = await BuildAsync("all");
        Assert.Contains("Architecture: all", await Dpkg("-I", package), StringComparison.Ordinal);
        var program = Path.Combine(await UnpackAsync(package), "opt", "evok-orleans");

        // This machine's runtime (shared/Microsoft.NETCore.App/<version>/ under its root), as a controller's would be.
        var dotnet = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        await RunSiloAsync(Path.Combine(program, "evok-orleans-silo"), [], new Dictionary<string, string> { ["DOTNET_ROOT"] = dotnet }, TimeSpan.FromSeconds(90));

        // The same machine with that runtime hidden (an empty tmpfs over it, in a mount namespace of its own).
        var missing = await ExternalProcess.RunAsync(
            "unshare",
            ["--mount", "/bin/sh", "-c", $"mount -t tmpfs none '{dotnet}' && exec /bin/sh '{Path.Combine(program, "evok-orleans")}' list"],
            TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["DOTNET_ROOT"] = string.Empty, ["PATH"] = "/usr/bin:/bin" });
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("evok-orleans: no .NET 10 runtime with ASP.NET Core found", missing.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// One package as deploy/package.sh builds it, checked with deploy/check-package.sh: the one in
    /// <c>EVOK_PACKAGES</c> when that folder is set (.ci/run builds every package there once, before the tests), else
    /// built now into the scratch folder (gzip: packed faster than xz).
    /// </summary>
    private async Task<string> BuildAsync(string architecture)
    {
        string package;
        if (Environment.GetEnvironmentVariable("EVOK_PACKAGES") is { Length: > 0 } built)
        {
            package = Assert.Single(Directory.GetFiles(built, $"evok-orleans_*_{architecture}.deb"));
        }
        else
        {
            var build = await ExternalProcess.RunAsync(
                Path.Combine(RepositoryRoot.Path, "deploy", "package.sh"),
                [architecture, Path.Combine(_scratch, "out")],
                TimeSpan.FromMinutes(10),
                new Dictionary<string, string> { ["DEB_COMPRESSION"] = "gzip" });
            Assert.True(build.ExitCode == 0, build.Error);
            package = build.Output.Trim();
        }

        var checkedPackage = await ExternalProcess.RunAsync(
            Path.Combine(RepositoryRoot.Path, "deploy", "check-package.sh"), [package, architecture], TimeSpan.FromMinutes(2));
        Assert.True(checkedPackage.ExitCode == 0, checkedPackage.Error);
        return package;
    }

    private async Task<string> UnpackAsync(string package)
    {
        var root = Path.Combine(_scratch, Path.GetFileNameWithoutExtension(package));
        await Dpkg("-x", package, root);
        return root;
    }

    /// <summary>
    /// Starts the silo (<paramref name="program"/> with <paramref name="arguments"/> before the silo's own) on a
    /// simulated Neuron; it must answer <c>/rest/all</c> within <paramref name="startup"/>, switch relay 2_04 and read
    /// it back, keep an alias in its state directory, and stop cleanly on SIGTERM. Returns the state directory.
    /// </summary>
    private async Task<string> RunSiloAsync(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan startup)
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var apiPort = FreeTcpPort.Next();
        var config = Path.Combine(_scratch, $"config-{apiPort}.yaml");
        await File.WriteAllTextAsync(config, $"apis: {{port: {apiPort}}}\n{SimulatedSite.NeuronConfigYaml(neuron)}\n");
        var state = Directory.CreateDirectory(Path.Combine(_scratch, $"state-{apiPort}")).FullName;
        using var silo = ExternalProcess.Start(program,
            [.. arguments, "--config", config, "--state-dir", state, "--silo-port", Port(FreeTcpPort.Next()), "--gateway-port", Port(FreeTcpPort.Next())],
            environment);
        var errors = silo.StandardError.ReadToEndAsync();
        _ = silo.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = startup };
            var deadline = DateTime.UtcNow + startup;
            HttpStatusCode? status = null;
            while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && !silo.HasExited)
            {
                await Task.Delay(250);
                status = await StatusAsync(http, "rest/all");
            }

            Assert.True(status == HttpStatusCode.OK, $"/rest/all answered {status} (exited: {silo.HasExited})");
            Assert.Contains("\"circuit\": \"2_04\"", await http.GetStringAsync("rest/all"), StringComparison.Ordinal);
            var switched = await http.PostAsync("rest/relay/2_04", new FormUrlEncodedContent([new("value", "1")]));
            Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
            Assert.Contains("\"value\": 1", await http.GetStringAsync("rest/relay/2_04"), StringComparison.Ordinal);
            Assert.True(neuron[2].GetCoil(3), "the simulated board's coil of relay 2_04 is on");
            await http.PostAsync("rest/relay/2_04", new FormUrlEncodedContent([new("alias", "pump")]));

            Assert.True(ExternalProcess.Terminate(silo));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await silo.WaitForExitAsync(stop.Token);
            Assert.True(silo.ExitCode == 0, await errors);
        }
        finally
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }
        }

        return state;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
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
