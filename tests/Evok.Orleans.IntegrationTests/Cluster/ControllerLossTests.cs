using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Evok.Orleans.Client;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>A controller of the site loses power (kill -9) and comes back.</summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class ControllerLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_controller_is_answered_as_unavailable_while_the_others_keep_serving_and_it_rejoins_on_restart()
    {
        await using var site = new ThreeControllerSite();
        await site.InitializeAsync();
        await using var client = await EvokClient.ConnectToSiteAsync(ThreeControllerSite.Name, site.Redis.ConnectionString);
        Assert.Equal("2_01", (await client.Node("plc3").GetAsync("relay", "2_01")).Circuit);

        var killed = Stopwatch.StartNew();
        site["plc3"].Kill();

        // The others keep answering for their own devices and each other's, every time, until plc3 is declared dead.
        var survivors = new[] { site["plc1"], site["plc2"] };
        TimeSpan? refusedAfter = null, deadAfter = null;
        var checks = 0;
        while (killed.Elapsed < TimeSpan.FromSeconds(40) && deadAfter is null)
        {
            foreach (var via in survivors)
            {
                foreach (var target in survivors)
                {
                    var response = await via.Http.GetAsync($"nodes/{target.Node}/rest/relay/2_01");
                    Assert.True(response.IsSuccessStatusCode, $"{via.Node} → {target.Node} at {killed.Elapsed.TotalSeconds:0.0} s: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    checks++;
                }
            }

            var lost = await site["plc1"].Http.GetAsync("nodes/plc3/rest/relay/2_01");
            if (refusedAfter is null && lost.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refusedAfter = killed.Elapsed;
                Assert.Contains("NodeUnavailable", await lost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var nodes = JsonDocument.Parse(await site["plc2"].Http.GetStringAsync("nodes"));
            if (nodes.RootElement.EnumerateArray().Any(node => node.GetProperty("node").GetString() == "plc3" && node.GetProperty("status").GetString() == "dead"))
            {
                deadAfter = killed.Elapsed;
            }

            await Task.Delay(100);
        }

        output.WriteLine($"after kill -9 of plc3: its devices answered 503 after {refusedAfter?.TotalSeconds:0.0} s, plc3 declared dead after " +
            $"{deadAfter?.TotalSeconds:0.0} s; {checks} reads of the survivors meanwhile, all answered");
        Assert.NotNull(refusedAfter);
        Assert.NotNull(deadAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await site["plc2"].Http.GetAsync("nodes/plc3/rest/all")).StatusCode);

        // The client's gateway may have been plc3's: it moves to another one.
        Assert.Equal("2_01", (await client.Node("plc1").GetAsync("relay", "2_01")).Circuit);
        await Assert.ThrowsAsync<Abstractions.Grains.NodeUnavailableException>(() => client.Node("plc3").GetAsync("relay", "2_01"));

        // Power back: plc3 rejoins and is switched through plc1 again.
        var restarted = Stopwatch.StartNew();
        site["plc3"].Start();
        await site["plc3"].WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        var now = site["plc3"].Simulator[2].GetCoil(0);
        HttpResponseMessage? write = null;
        while (restarted.Elapsed < TimeSpan.FromSeconds(60))
        {
            write = await site["plc1"].Http.PostAsync("nodes/plc3/rest/relay/2_01", new FormUrlEncodedContent([new("value", now ? "0" : "1")]));
            if (write.IsSuccessStatusCode)
            {
                break;
            }

            await Task.Delay(200);
        }

        output.WriteLine($"plc3 switched through plc1 again {restarted.Elapsed.TotalSeconds:0.0} s after its restart");
        Assert.True(write!.IsSuccessStatusCode, await write.Content.ReadAsStringAsync());
        Assert.Equal(!now, site["plc3"].Simulator[2].GetCoil(0));
    }
}
