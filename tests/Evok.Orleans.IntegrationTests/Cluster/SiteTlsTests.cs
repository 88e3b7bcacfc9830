using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Evok.Orleans.Client;
using Evok.Orleans.Client.Security;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// <c>cluster.tls</c>: two controllers whose certificates openssl issued from the site's authority form a site over
/// mutual TLS; a controller and a client app without such a certificate are kept out.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class SiteTlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Site = "tlssite";

    private readonly string _folder = Directory.CreateTempSubdirectory("evok-site-tls-").FullName;
    private RedisServer? _redis;

    [Fact]
    public async Task Controllers_with_the_sites_certificates_form_a_site_and_a_stranger_controller_or_client_is_kept_out()
    {
        var authority = await OpensslCertificate.CreateAsync(_folder, "site-ca");
        var stranger = await OpensslCertificate.CreateAsync(_folder, "other-ca");
        (string, string, string) Files(string name, (string Certificate, string Key) issued) => (authority.Certificate, issued.Certificate, issued.Key);
        await using var plc1 = new SiteController(Site, "plc1", _redis!.ConnectionString, tls: Files("plc1", await OpensslCertificate.IssueAsync(_folder, "plc1", authority)));
        await using var plc2 = new SiteController(Site, "plc2", _redis.ConnectionString, tls: Files("plc2", await OpensslCertificate.IssueAsync(_folder, "plc2", authority)));
        plc1.Start();
        plc2.Start();
        await Task.WhenAll(plc1.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), plc2.WaitUntilServingAsync(TimeSpan.FromSeconds(90)));

        // Over TLS, each controller reads and switches the other's devices.
        await Eventually.TrueAsync(async () => (await plc1.Http.GetAsync("nodes/plc2/rest/relay/2_01")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "plc1 reaching plc2");
        var switched = await plc2.Http.PostAsync("nodes/plc1/rest/relay/2_02", new FormUrlEncodedContent([new("value", "1")]));
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.True(plc1.Simulator[2].GetCoil(1));

        // A client app with a certificate of the site's authority works; one without TLS does not get in.
        var clientFiles = await OpensslCertificate.IssueAsync(_folder, "app", authority);
        await using (var client = await EvokClient.ConnectToSiteAsync(Site, _redis.ConnectionString, new SiteTls(authority.Certificate, clientFiles.Certificate, clientFiles.Key)))
        {
            Assert.Equal("2_01", (await client.Node("plc2").GetAsync("relay", "2_01")).Circuit);
        }

        using (var refused = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var plain = await EvokClient.ConnectToSiteAsync(Site, _redis.ConnectionString, cancellationToken: refused.Token);
                await plain.Node("plc2").GetAsync("relay", "2_01");
            });
        }

        // A controller whose certificate another authority issued never becomes a member.
        await using var intruder = new SiteController(Site, "plc3", _redis.ConnectionString, tls: Files("plc3", await OpensslCertificate.IssueAsync(_folder, "plc3", stranger)));
        intruder.Start();
        var watched = Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var nodes = JsonDocument.Parse(await plc1.Http.GetStringAsync("nodes"));
            Assert.DoesNotContain(nodes.RootElement.EnumerateArray(), node => node.GetProperty("node").GetString() == "plc3" && node.GetProperty("status").GetString() == "active");
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await plc1.Http.GetAsync("nodes/plc3/rest/relay/2_01")).StatusCode);
        Assert.True((await plc2.Http.GetAsync("nodes/plc1/rest/relay/2_01")).IsSuccessStatusCode);

        // The members' log says why, naming the certificate they refused.
        Assert.Contains("refused a connection presenting 'CN=plc3' issued by 'CN=other-ca'", plc1.Output + plc2.Output, StringComparison.Ordinal);
        output.WriteLine(intruder.Output);
    }

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
