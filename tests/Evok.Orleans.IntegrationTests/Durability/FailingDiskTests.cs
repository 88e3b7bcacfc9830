using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Durability;

/// <summary>
/// The journal's disk failing under the silo program, as an SD card does: full while it runs, or read-only (as the
/// kernel mounts a card that reported errors). The state directory is a small tmpfs mounted in the silo's own mount namespace (unshare), so the kernel
/// itself refuses the writes and nothing is left mounted on the machine when the silo ends.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed class FailingDiskTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-disk-").FullName;
    private readonly ModbusTcpSimulator _simulator = SimulatedSite.CreateNeuron();
    private readonly int _apiPort = FreeTcpPort.Next();
    private readonly ProcessOutput _output = new();

    private string Disk => Path.Combine(_folder, "disk");

    [Fact]
    public async Task A_journal_disk_that_fills_up_is_said_once_and_written_again_once_there_is_room_and_delivery_never_stops()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // 2 MB with 1.8 MB taken by another file: the database and its first changes fit, a few hundred more do not.
        using var silo = await StartAsync(receiver, "rw,size=2m", fillerKilobytes: 1800);
        using var http = Http();
        try
        {
            await SiloProgramApi.WaitUntilServingAsync(http);
            Assert.Equal("on disk", await JournalHealthAsync(http));

            var value = 0;
            await Eventually.TrueAsync(async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    value = 1 - value;
                    await SiloProgramApi.SetRelayAsync(http, "2_01", value);
                }

                return await JournalHealthAsync(http) == "failing";
            }, TimeSpan.FromSeconds(90), "the journal's disk full");

            await AssertStillDeliveringAsync(http, receiver, "2_03", 1);
            Assert.Contains("full", await ReadyDescriptionAsync(http), StringComparison.Ordinal);
            Assert.True(Count(Output, "cannot be written") == 1, Output);

            // Room again (the other file removed): what waited in memory is written, in order, and health recovers.
            await InSilosMountsAsync(silo, "rm", Path.Combine(Disk, "filler"));
            await Eventually.TrueAsync(async () => await JournalHealthAsync(http) == "on disk", TimeSpan.FromSeconds(30), "the journal written again");
            Assert.True(Count(Output, "is written again") == 1, Output);
            Assert.Equal([0, 1], await ValuesInTheFileAsync(silo, "relay:2_03"));
            Assert.False(silo.HasExited, Output);
        }
        finally
        {
            await StopAsync(silo);
        }
    }

    [Fact]
    public async Task A_journal_on_a_read_only_disk_is_said_once_health_is_degraded_and_polling_and_delivery_go_on()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A card the kernel mounted read-only after errors: nothing can be created there.
        using var silo = await StartAsync(receiver, "ro,size=1m", fillerKilobytes: 0);
        using var http = Http();
        try
        {
            await SiloProgramApi.WaitUntilServingAsync(http);

            Assert.Equal("failing", await JournalHealthAsync(http));
            Assert.Contains("Read-only file system", await ReadyDescriptionAsync(http), StringComparison.Ordinal);
            await AssertStillDeliveringAsync(http, receiver, "2_02", 1);
            using var history = JsonDocument.Parse(await http.GetStringAsync("rest/relay/2_02/history"));
            Assert.Equal(1, history.RootElement.GetProperty("history").EnumerateArray().Last().GetProperty("value").GetInt32());
            Assert.True(Count(Output, "cannot be used") == 1, Output);
        }
        finally
        {
            await StopAsync(silo);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Output => _output.ToString();

    private HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// The silo program with its state directory on a tmpfs (mount <paramref name="options"/>) that only it sees,
    /// <paramref name="fillerKilobytes"/> of it taken by another file.
    /// </summary>
    private async Task<Process> StartAsync(WebhookReceiver receiver, string options, int fillerKilobytes)
    {
        _simulator.Start();
        Directory.CreateDirectory(Disk);
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimulatedSite.NeuronConfigYaml(_simulator)}
            apis:
              port: {_apiPort}
              webhooks:
                - name: scada
                  address: {receiver.Address}
                  device_mask: ["relay"]
                  complex_events: true
            """);
        const string Script = """
            mount -t tmpfs -o "$1" tmpfs "$2" || exit 1
            if [ "$3" -gt 0 ]; then head -c "$3"k /dev/zero > "$2/filler" || exit 1; fi
            shift 3
            exec "$@"
            """;
        var process = ExternalProcess.Start("unshare", [
            "--mount", "--propagation", "private", "sh", "-c", Script, "sh", options, Disk, fillerKilobytes.ToString(CultureInfo.InvariantCulture),
            "dotnet", BuiltProgram.Silo.Path, "--config", config, "--state-dir", Disk]);
        _output.Follow(process);
        return process;
    }

    /// <summary>Runs a command in the silo's mount namespace, where its tmpfs is.</summary>
    private static async Task InSilosMountsAsync(Process silo, params string[] command)
    {
        var result = await ExternalProcess.RunAsync("nsenter", ["-t", silo.Id.ToString(CultureInfo.InvariantCulture), "-m", .. command], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.Error}");
    }

    /// <summary>
    /// A circuit's values as the journal's file has them, read by Debian's sqlite3 in the silo's mount namespace (the
    /// tmpfs is there only; SQLite resolves /proc/&lt;pid&gt;/root back to this namespace's path).
    /// </summary>
    private async Task<List<int>> ValuesInTheFileAsync(Process silo, string key)
    {
        var result = await ExternalProcess.RunAsync("nsenter", [
            "-t", silo.Id.ToString(CultureInfo.InvariantCulture), "-m", "sqlite3", "-readonly", Path.Combine(Disk, "evok-orleans.db"),
            $"SELECT json FROM changes WHERE key = '{key}' ORDER BY seq"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"sqlite3: {result.Error}");
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("value").GetInt32())];
    }

    private static async Task StopAsync(Process silo)
    {
        if (!silo.HasExited)
        {
            ExternalProcess.Terminate(silo);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await silo.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                silo.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A change made now reaches the REST API and the webhook receiver, journal or not.</summary>
    private static async Task AssertStillDeliveringAsync(HttpClient http, WebhookReceiver receiver, string circuit, int value)
    {
        await SiloProgramApi.SetRelayAsync(http, circuit, value);
        using var state = JsonDocument.Parse(await http.GetStringAsync($"rest/relay/{circuit}"));
        Assert.Equal(value, state.RootElement.GetProperty("value").GetInt32());
        var expected = $"\"circuit\": \"{circuit}\", \"value\": {value}";
        await Eventually.TrueAsync(async () =>
            (await receiver.CollectAsync(TimeSpan.FromMilliseconds(300))).Any(request => request.Body.Contains(expected, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the change delivered to the webhook");
    }

    private static async Task<string?> JournalHealthAsync(HttpClient http)
    {
        using var ready = JsonDocument.Parse(await http.GetStringAsync("health/ready"));
        return ready.RootElement.GetProperty("checks").GetProperty("site").GetProperty("data").GetProperty("journal").GetString();
    }

    private static async Task<string> ReadyDescriptionAsync(HttpClient http)
    {
        using var ready = JsonDocument.Parse(await http.GetStringAsync("health/ready"));
        Assert.Equal("Degraded", ready.RootElement.GetProperty("status").GetString());
        return ready.RootElement.GetProperty("checks").GetProperty("site").GetProperty("description").GetString() ?? string.Empty;
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
