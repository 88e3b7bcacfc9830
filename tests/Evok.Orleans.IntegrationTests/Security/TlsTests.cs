using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary><c>apis.tls</c> with a certificate made by openssl: the API and the WebSocket speak HTTPS/WSS only.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task With_apis_tls_the_api_and_websocket_are_served_over_tls_with_the_configured_certificate()
    {
        var (certificatePem, _) = await OpensslCertificate.CreateAsync(_folder, "evok-test", "IP:127.0.0.1,DNS:localhost");
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePem));
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse(Path.Combine(_folder, "config.yaml"), $$"""
            apis:
              port: {{apiPort}}
              tls: {certificate: evok-test.pem, key: evok-test.key}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog(), _folder);
        await using var silo = await TestSilo.StartAsync(configuration);

        // Trust exactly the test's certificate, as a client would pin it.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{apiPort}/") };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await https.GetAsync("version")).StatusCode);

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.Thumbprint;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{apiPort}/ws"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        // Plain HTTP on the same port is not answered as the API.
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetStringAsync("version"));
        await silo.StopAsync();
    }

    [Fact]
    public void A_key_that_does_not_belong_to_the_certificate_is_a_configuration_error_naming_the_key()
    {
        File.WriteAllText(Path.Combine(_folder, "cert.pem"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(_folder, "key.pem"), "nothing");

        var error = Assert.Throws<ConfigurationException>(() => SiteConfigurationLoader.Parse(Path.Combine(_folder, "config.yaml"), """
            apis:
              tls: {certificate: cert.pem, key: key.pem}
            """, new HardwareDefinitionCatalog(), _folder));

        Assert.Contains("config.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("apis.tls.certificate", error.Message, StringComparison.Ordinal);
    }
}
