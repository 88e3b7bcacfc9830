using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// <c>cluster.membership: {type: postgresql}</c>: two controllers find each other in a real PostgreSQL server
/// (Debian's, a fresh database: the silo creates its tables), serve each other's devices, a client app finds them
/// there (and the CLI), and a controller that loses power is declared dead through the same table.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class PostgreSqlMembershipTests(ITestOutputHelper output)
{
    private const string Site = "pgsite";

    [Fact]
    public async Task Controllers_joined_through_postgresql_serve_each_other_and_a_killed_one_is_declared_dead()
    {
        await using var postgres = await PostgreSqlServer.StartAsync();
        await using var plc1 = new SiteController(Site, "plc1", postgres.ConnectionString, membership: "postgresql");
        await using var plc2 = new SiteController(Site, "plc2", postgres.ConnectionString, membership: "postgresql");
        plc1.Start();
        plc2.Start();
        await Task.WhenAll(plc1.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), plc2.WaitUntilServingAsync(TimeSpan.FromSeconds(90)));

        await Eventually.TrueAsync(async () => (await plc1.Http.GetAsync("nodes/plc2/rest/relay/2_01")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "plc1 reaching plc2");
        var switched = await plc1.Http.PostAsync("nodes/plc2/rest/relay/2_03", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.True(plc2.Simulator[2].GetCoil(2));

        await using (var client = await EvokClient.ConnectToPostgreSqlSiteAsync(Site, postgres.ConnectionString))
        {
            Assert.Equal(["plc1", "plc2"], (await client.NodesAsync()).Where(node => node.IsActive).Select(node => node.Name).Order());
            Assert.Equal("2_03", (await client.Node("plc2").GetAsync("relay", "2_03")).Circuit);
        }

        var nodes = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "--site", Site, "--postgresql", postgres.ConnectionString, "nodes");
        Assert.Equal(0, nodes.ExitCode);
        Assert.Equal(2, nodes.Output.Trim().Split('\n').Length);

        var killed = Stopwatch.StartNew();
        plc2.Kill();
        await Eventually.TrueAsync(async () => await StatusAsync(plc1, "plc2") == "dead", TimeSpan.FromSeconds(30), "plc2 declared dead");
        output.WriteLine($"plc2 declared dead {killed.Elapsed.TotalSeconds:0.0} s after kill -9");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await plc1.Http.GetAsync("nodes/plc2/rest/relay/2_01")).StatusCode);
        Assert.True((await plc1.Http.GetAsync("rest/relay/2_01")).IsSuccessStatusCode);
    }

    private static async Task<string?> StatusAsync(SiteController via, string node)
    {
        using var nodes = JsonDocument.Parse(await via.Http.GetStringAsync("nodes"));
        return nodes.RootElement.EnumerateArray().Where(entry => entry.GetProperty("node").GetString() == node)
            .Select(entry => entry.GetProperty("status").GetString()).FirstOrDefault();
    }
}
