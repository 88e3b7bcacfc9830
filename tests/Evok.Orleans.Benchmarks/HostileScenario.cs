using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Issue 15's memory rows: what hostile requests cost the silo's memory while they run and after they end. (1) bulk
/// requests of thousands of group queries, (2) 10 MB bodies (a huge string, 900 000 keys, random bytes), (3) WebSocket
/// clients that ask for <c>all</c> a thousand times and never read. Each row prints the RSS before, its peak while the
/// row runs, and after the clients are gone.
/// </summary>
internal static class HostileScenario
{
    public static async Task<string> RunAsync(int webSocketClients, SiloSettings settings)
    {
        await using var site = await BenchmarkSite.StartAsync(2, settings);
        var silo = site.Silo;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cold = silo.RssMegabytes;

        // One of each request first, at a size nobody would call an attack (one bulk request, one oversized body, two
        // WebSocket clients): the runtime compiles those paths a second time, optimised, once they are hot (tiered
        // compilation) — several MB of code and JIT memory kept for good, which is the silo having served such
        // requests, not memory an attacker left behind.
        var bulk = BulkOfGroupQueries(7_000);
        using (var warmUp = await silo.Api.PostAsync("bulk", new StringContent(bulk, Encoding.UTF8, "application/json")))
        {
            Expect(warmUp, 400);
        }

        await RefusedAsync(silo, "bulk", new ByteArrayContent(new byte[10 << 20]));
        await WebSocketsAskingAllAsync(silo, 2);
        await Task.Delay(TimeSpan.FromSeconds(15));
        var baseline = silo.RssMegabytes;
        var report = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"hostile: baseline rss={baseline:0}MB (cold {cold:0}MB, before one request of each kind compiled its code)"));

        // Three rounds of the three rows. The first round makes each row's paths hot for the first time, and the
        // runtime keeps their optimised code for good; rounds 2 and 3 show whether anything else stays: a silo that
        // ends them where round 1 ended reuses its memory, one that climbs leaks.
        var endOfRound = new List<double>();
        for (var round = 1; round <= 3; round++)
        {
            report.Append(await RowAsync(silo, $"(1) 20 bulk requests of 7000 group queries (420 KB), round {round}", async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    using var response = await silo.Api.PostAsync("bulk", new StringContent(bulk, Encoding.UTF8, "application/json"));
                    Expect(response, 400);
                }
            }));
            report.Append(await RowAsync(silo, $"(2) 10 MB bodies: a string, 900 000 keys, 5 random, round {round}", TenMegabyteBodiesAsync));
            report.Append(await RowAsync(silo, $"(3) {webSocketClients} WebSocket clients sending 1000 'all' and never reading, round {round}",
                () => WebSocketsAskingAllAsync(silo, webSocketClients)));
            endOfRound.Add(silo.RssMegabytes);
        }

        report.Append(string.Create(CultureInfo.InvariantCulture,
            $"\nhostile: rss at the end of rounds 1/2/3 = {endOfRound[0]:0}/{endOfRound[1]:0}/{endOfRound[2]:0}MB: {endOfRound[0] - baseline:+0;-0;0}MB over the baseline after the first round (code compiled once), {endOfRound[2] - endOfRound[0]:+0;-0;0}MB from round 1's end to round 3's"));
        return report.ToString();

        async Task TenMegabyteBodiesAsync()
        {
            var value = $"{{\"value\": \"{new string('x', 10 << 20)}\"}}";
            var keys = "{" + string.Join(", ", Enumerable.Range(0, 900_000).Select(i => $"\"k{i}\": 1")) + "}";
            foreach (var body in new[] { value, keys })
            {
                await RefusedAsync(silo, "json/relay/1_01", new StringContent(body, Encoding.UTF8, "application/json"));
            }

            for (var i = 0; i < 5; i++)
            {
                var noise = new byte[10 << 20];
                Random.Shared.NextBytes(noise);
                await RefusedAsync(silo, "bulk", new ByteArrayContent(noise));
            }
        }
    }

    private static async Task WebSocketsAskingAllAsync(SiloProcess silo, int clients)
    {
        var sockets = new List<ClientWebSocket>();
        var all = Encoding.UTF8.GetBytes("""{"cmd": "all"}""");
        for (var client = 0; client < clients; client++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(silo.Api.BaseAddress!.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), CancellationToken.None);
            sockets.Add(socket);
            for (var i = 0; i < 1000; i++)
            {
                using var sent = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await socket.SendAsync(all, WebSocketMessageType.Text, true, sent.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the server stopped reading from a client that does not read: as it should
                }
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    /// <summary>Runs a row, sampling RSS every 50 ms; then waits for the silo to settle (GC) and reads it again.</summary>
    private static async Task<string> RowAsync(SiloProcess silo, string row, Func<Task> attack)
    {
        var before = silo.RssMegabytes;
        var threadsBefore = silo.Threads;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, silo.RssMegabytes);
                await Task.Delay(50, CancellationToken.None);
            }
        });
        await attack();
        await sampling.CancelAsync();
        await sampler;
        await Task.Delay(TimeSpan.FromSeconds(15));
        var after = silo.RssMegabytes;
        var trims = await silo.MemoryTrimsAsync();
        var threads = silo.Threads;
        var committed = await silo.MetricAsync("dotnet_gc_last_collection_memory_committed_size_bytes") / (1 << 20);
        var heap = await silo.MetricAsync("dotnet_gc_last_collection_heap_size_bytes") / (1 << 20);
        return string.Create(CultureInfo.InvariantCulture,
            $"\nhostile {row}: rss before={before:0}MB peak={peak:0}MB ({peak - before:+0;-0;0}) after={after:0}MB ({after - before:+0;-0;0}) threads={threadsBefore}->{threads} gc_committed={committed:0.0}MB gc_heap={heap:0.0}MB memory_trims={trims}");
    }

    private static string BulkOfGroupQueries(int count) =>
        "{\"group_queries\": [" + string.Join(", ", Enumerable.Repeat("""{"device_types": ["relay"], "device_circuits": []}""", count)) + "]}";

    /// <summary>A body over the limit: 413, or the connection closed while it was still being sent (Kestrel stops reading).</summary>
    private static async Task RefusedAsync(SiloProcess silo, string path, HttpContent body)
    {
        try
        {
            using var response = await silo.Api.PostAsync(path, body);
            Expect(response, 413);
        }
        catch (HttpRequestException)
        {
        }
    }

    private static void Expect(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            throw new InvalidOperationException($"expected {status} from the silo, got {(int)response.StatusCode}");
        }
    }
}
