using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Silo;

public sealed class SiloProgramTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-silo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_broken_config_stops_the_silo_with_exit_code_2_and_one_line_naming_file_line_and_key()
    {
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, "comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a:\n        model: \"99\"\n");

        var result = await BuiltProgram.Silo.RunAsync(TimeSpan.FromSeconds(60), "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"evok-orleans: configuration error: {config}:6: comm_channels.bus.devices.a.model: unknown model '99'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_port_already_taken_stops_the_silo_with_exit_code_2_and_one_line()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, $"apis:\n  port: {port}\n");

        var result = await BuiltProgram.Silo.RunAsync(TimeSpan.FromSeconds(60), "--config", config);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"evok-orleans: cannot listen on http://127.0.0.1:{port}: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_argument_exits_with_code_2_and_the_usage()
    {
        var result = await BuiltProgram.Silo.RunAsync(TimeSpan.FromSeconds(60), "--confg", "x.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown argument '--confg'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: evok-orleans-silo", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_arguments_a_new_users_first_run_polls_the_built_in_simulator_delivers_to_the_webhook_warns_of_nothing_and_stops_cleanly_on_sigterm()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        // A user who has never run it: a home with nothing in it, not even ~/.local/share.
        var home = Directory.CreateDirectory(Path.Combine(_folder, "home")).FullName;
        using var silo = BuiltProgram.Silo.Start(new Dictionary<string, string> { ["HOME"] = home }, "--webhook", receiver.Address.ToString());
        string log;
        try
        {
            var output = silo.StandardOutput.ReadToEndAsync();
            var errors = silo.StandardError.ReadToEndAsync();

            // Both boards' initial states, and (issue 16: the first run moves by itself) DI 2_01 switched on: it
            // toggles every 3 s. The simulator's analog drift may come between them, so collect until all are seen.
            var expected = new[] { "\"circuit\": \"2_04\"", "\"circuit\": \"1_03\"", "\"dev\": \"input\", \"circuit\": \"2_01\", \"value\": 1" };
            var seen = new HashSet<string>();
            var timeout = TimeSpan.FromSeconds(60);
            while (seen.Count < expected.Length)
            {
                var request = await receiver.NextAsync(timeout);
                seen.UnionWith(expected.Where(text => request.Body.Contains(text, StringComparison.Ordinal)));
                timeout = TimeSpan.FromSeconds(10);
            }

            // Orleans' last start stage ends after the first webhooks; the API (started after the silo) answering
            // says the start is over. A SIGTERM during the start stops cleanly too, but the host logs the
            // cancelled start as failures, which this test rules out for a stop of a running silo.
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            {
                await Eventually.TrueAsync(async () =>
                {
                    try
                    {
                        return (await http.GetAsync("http://127.0.0.1:8080/rest/all")).IsSuccessStatusCode;
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                }, TimeSpan.FromSeconds(60), "the silo's API answering");
            }

            Assert.True(ExternalProcess.Terminate(silo));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.WaitForExitAsync(deadline.Token);
            log = await output;

            Assert.True(silo.ExitCode == 0, $"exit code {silo.ExitCode}: {await errors}");
        }
        finally
        {
            // A failed assertion must not leave the silo holding ports 8080, 11111 and 30000 for the next test.
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }
        }

        Assert.Contains("relay:2_04 #1", log, StringComparison.Ordinal);
        Assert.StartsWith("evok-orleans: dashboard on http://127.0.0.1:8080/\n", log, StringComparison.Ordinal);

        // Issue 15 row 15: a clean stop with circuit grains active logs no failure.
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);

        // Issue 37: nothing a user cannot act on (ASP.NET's unencrypted key ring, Orleans' watchdog measuring from
        // the machine's boot), and the journal in the user's data folder, not in the folder the program started from.
        Assert.DoesNotContain("warn:", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(home, ".local", "share", "evok-orleans", "evok-orleans.db")));
        Assert.False(Directory.Exists(Path.Combine(home, ".aspnet")));
    }

    [Fact]
    public async Task Under_a_unit_with_WatchdogSec_the_silo_pings_systemds_watchdog_while_it_scans()
    {
        // systemd's side of sd_notify: a datagram socket named by NOTIFY_SOCKET, and the period in WATCHDOG_USEC.
        var path = Path.Combine(Path.GetTempPath(), $"evok-notify-{Guid.NewGuid():N}.sock");
        using var notify = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        notify.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        using var silo = BuiltProgram.Silo.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "600000" });
        try
        {
            var pings = 0;
            var buffer = new byte[256];
            // Three pings (0.3 s apart) within a minute of the start, or the deadline fails the test.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (pings < 3)
            {
                var received = await notify.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, deadline.Token);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, received) == "WATCHDOG=1")
                {
                    pings++;
                }
            }
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Started_without_the_unit_the_silo_takes_the_shipped_gc_settings_in_the_same_process_and_keeps_a_users_own()
    {
        // The runtime reads these only from the environment: the program sets what is missing and execs itself.
        using var silo = BuiltProgram.Silo.Start(new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x800000" }, "--simulator-still");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8080/") };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!await AnswersAsync(http) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            var environment = (await File.ReadAllTextAsync($"/proc/{silo.Id}/environ")).Split('\0');
            Assert.Contains("DOTNET_GCRegionSize=0x100000", environment);
            Assert.Contains("DOTNET_GCgen0size=0x800000", environment);
            Assert.DoesNotContain("DOTNET_GCgen0size=0x400000", environment);
            Assert.False(silo.HasExited);
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("rest/relay/2_04")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
