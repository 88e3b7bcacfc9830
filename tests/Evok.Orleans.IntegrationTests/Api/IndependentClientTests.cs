using System.Text.Json;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Api;

/// <summary>The API through clients nobody here wrote: curl, python3-requests and python3-websocket from Debian.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", TestCategory.Peers)]
public sealed class IndependentClientTests(ApiSite site)
{
    [Fact]
    public async Task Curl_reads_and_writes_like_evoks_documentation_shows()
    {
        var write = await ExternalProcess.RunAsync("curl", ["-s", "-X", "POST", "-d", "value=1", $"{site.Address}rest/relay/1_03"], TimeSpan.FromSeconds(20));
        var read = await ExternalProcess.RunAsync("curl", ["-s", $"{site.Address}rest/relay/1_03/value"], TimeSpan.FromSeconds(20));
        var missing = await ExternalProcess.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"{site.Address}rest/relay/nothing"], TimeSpan.FromSeconds(20));

        Assert.StartsWith("""{"success": true, "result": {"dev": "relay", "relay_type": "digital", "circuit": "1_03", "value": 1,""", write.Output, StringComparison.Ordinal);
        Assert.Equal("""{"value": 1}""", read.Output);
        Assert.Equal("404", missing.Output);
    }

    [Fact]
    public async Task Python_requests_and_websocket_client_work_unchanged()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "evok_api_peer.py");

        var result = await ExternalProcess.RunAsync("/usr/bin/python3", [script, site.Address.ToString()], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.Error);
        var steps = result.Output.Trim().Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(200, steps[0].GetProperty("status").GetInt32());
        Assert.Equal("2_02", steps[0].GetProperty("device").GetProperty("circuit").GetString());
        Assert.True(steps[1].GetProperty("body").GetProperty("success").GetBoolean());
        var event0 = steps[2].GetProperty("event")[0];
        Assert.Equal("2_02", event0.GetProperty("circuit").GetString());
        Assert.Equal(1, event0.GetProperty("value").GetInt32());
        Assert.True(steps[3].GetProperty("count").GetInt32() > 100);
    }
}
