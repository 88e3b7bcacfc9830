using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// A site of three controllers (issue 17): scenario (b) on three silos at the same time, first as three controllers
/// on their own, then as one site on a real redis-server's membership (same machine, same contention: the CPU of a
/// silo in the site against a silo alone is what clustering costs), and REST reads of a device of the same
/// controller and of another controller, through one controller's API.
/// </summary>
internal static class ClusterScenario
{
    private const int Controllers = 3;

    private static readonly TimeSpan ReadsWarmUp = TimeSpan.FromSeconds(10);

    public static async Task<string> RunAsync(Func<string, SiloSettings?, ScenarioOptions> scenario, int reads)
    {
        var lines = new List<string>();
        var alone = await Task.WhenAll(Enumerable.Range(1, Controllers).Select(n => SiteScenario.RunAsync(scenario($"(alone{n})", null))));
        await using var redis = await RedisServer.StartAsync();
        var site = await Task.WhenAll(Enumerable.Range(1, Controllers).Select(n => SiteScenario.RunAsync(scenario($"(plc{n})", Member(redis, n)))));
        lines.AddRange(alone.Concat(site).Select(result => result.Format()));
        var cpuAlone = alone.Average(result => result.CpuPercentOfOneCore);
        var cpuSite = site.Average(result => result.CpuPercentOfOneCore);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"(cluster) cpu per silo: alone={cpuAlone:0.0}% in_site={cpuSite:0.0}% extra={100 * (cpuSite / cpuAlone - 1):0}% " +
            $"p99 di/ro alone={alone.Average(result => result.Fast.Percentile(99)):0.0}ms in_site={site.Average(result => result.Fast.Percentile(99)):0.0}ms " +
            $"lost={site.Sum(result => result.Fast.Lost + result.Slow.Lost)}"));
        // Reads with every controller polling as many boards as the scenario (the machine as loaded as above), then
        // with one board each (what the hop to another controller costs by itself).
        lines.Add(await ReadsAsync(redis, scenario("(reads)", null).Boards, reads, tls: null));
        lines.Add(await ReadsAsync(redis, 1, reads, tls: null));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// What <c>cluster.tls</c> costs: the site of three under scenario (b) in the clear and over mutual TLS (certificates
    /// openssl issued from one authority), CPU per silo side by side, and reads through another controller both ways.
    /// </summary>
    public static async Task<string> RunTlsAsync(Func<string, SiloSettings?, ScenarioOptions> scenario, int reads)
    {
        var folder = Directory.CreateTempSubdirectory("evok-bench-tls-").FullName;
        try
        {
            var authority = await OpensslCertificate.CreateAsync(folder, "bench-ca");
            var members = new List<(string Ca, string Certificate, string Key)>();
            foreach (var n in Enumerable.Range(1, Controllers))
            {
                var (certificate, key) = await OpensslCertificate.IssueAsync(folder, $"plc{n}", authority);
                members.Add((authority.Certificate, certificate, key));
            }

            await using var redis = await RedisServer.StartAsync();
            var plain = await Task.WhenAll(Enumerable.Range(1, Controllers).Select(n => SiteScenario.RunAsync(scenario($"(plc{n})", Member(redis, n)))));
            var tls = await Task.WhenAll(Enumerable.Range(1, Controllers).Select(n => SiteScenario.RunAsync(scenario($"(plc{n}-tls)", Member(redis, n, members)))));
            var lines = plain.Concat(tls).Select(result => result.Format()).ToList();
            var cpuPlain = plain.Average(result => result.CpuPercentOfOneCore);
            var cpuTls = tls.Average(result => result.CpuPercentOfOneCore);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"(site tls) cpu per silo: clear={cpuPlain:0.0}% tls={cpuTls:0.0}% extra={100 * (cpuTls / cpuPlain - 1):0}% " +
                $"idle clear={plain.Average(result => result.IdleCpuPercentOfOneCore):0.0}% tls={tls.Average(result => result.IdleCpuPercentOfOneCore):0.0}% " +
                $"lost={tls.Sum(result => result.Fast.Lost + result.Slow.Lost)}"));
            lines.Add(await ReadsAsync(redis, 1, reads, tls: null));
            lines.Add("(tls) " + await ReadsAsync(redis, 1, reads, members));
            return string.Join(Environment.NewLine, lines);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Only the reads through plc1, at one board and at <paramref name="boards"/> per controller, with <paramref name="settings"/>.</summary>
    public static async Task<string> RunReadsAsync(int boards, int reads, SiloSettings settings)
    {
        await using var redis = await RedisServer.StartAsync();
        return string.Join(Environment.NewLine, await ReadsAsync(redis, 1, reads, tls: null, settings), await ReadsAsync(redis, boards, reads, tls: null, settings));
    }

    /// <summary>Three polling controllers of one site; through plc1's API, one relay of plc1 and one of plc2, read in turn.</summary>
    private static async Task<string> ReadsAsync(
        RedisServer redis, int boards, int reads, List<(string Ca, string Certificate, string Key)>? tls, SiloSettings? settings = null)
    {
        var sites = new List<BenchmarkSite>();
        try
        {
            foreach (var n in Enumerable.Range(1, Controllers))
            {
                sites.Add(await BenchmarkSite.StartAsync(boards, Member(redis, n, tls, settings)));
            }

            var api = sites[0].Silo.Api;

            // Reads for a while first, not measured: they activate the grains and let the JIT finish the read path,
            // as every scenario's load runs unmeasured first (the 100 reads of earlier sessions left its tier-up
            // compilations inside the measurement: most reads over 3 ms fell into its first second).
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < ReadsWarmUp)
            {
                await TimeAsync(api, "rest/relay/b1_01");
                await TimeAsync(api, "nodes/plc2/rest/relay/b1_01");
            }

            var local = new List<double>();
            var remote = new List<double>();
            for (var i = 0; i < reads; i++)
            {
                local.Add(await TimeAsync(api, "rest/relay/b1_01"));
                remote.Add(await TimeAsync(api, "nodes/plc2/rest/relay/b1_01"));
            }

            var own = new LatencySummary("(reads) same controller", reads, reads, 0, local);
            var other = new LatencySummary("(reads) other controller", reads, reads, 0, remote);
            return string.Create(CultureInfo.InvariantCulture,
                $"(reads) REST GET through plc1, {boards} boards polled per controller: same controller p50={own.Percentile(50):0.00}ms p99={own.Percentile(99):0.00}ms, " +
                $"other controller p50={other.Percentile(50):0.00}ms p99={other.Percentile(99):0.00}ms ({reads} each)");
        }
        finally
        {
            foreach (var site in sites)
            {
                await site.DisposeAsync();
            }
        }
    }

    private static async Task<double> TimeAsync(HttpClient api, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await api.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <param name="tls">Each member's <c>cluster.tls</c> files (a site of its own, <c>benchtls</c>); null: in the clear.</param>
    private static SiloSettings Member(RedisServer redis, int n, List<(string Ca, string Certificate, string Key)>? tls = null, SiloSettings? settings = null) =>
        (settings ?? SiloSettings.AsShipped) with
        {
            ConfigSections = ClusterSection.Yaml(tls is null ? "bench" : "benchtls", $"plc{n}", redis.ConnectionString, tls: tls?[n - 1]),
        };
}
