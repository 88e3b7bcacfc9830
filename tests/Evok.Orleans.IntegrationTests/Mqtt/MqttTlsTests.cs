using System.Diagnostics;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Mqtt;

/// <summary><c>apis.mqtt.tls</c> against mosquitto serving a certificate made by openssl: trusted through <c>ca</c>, refused without.</summary>
[Trait("Category", TestCategory.Peers)]
public sealed class MqttTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-mqtt-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task States_reach_a_tls_broker_whose_certificate_chains_to_the_configured_ca_and_not_another()
    {
        var (certificate, key) = await OpensslCertificate.CreateAsync(_folder, "evok-broker", "IP:127.0.0.1");
        var (other, _) = await OpensslCertificate.CreateAsync(_folder, "someone-else");
        var trusted = new MqttTlsConfiguration(certificate, null, null);
        TimeSpan trustedOnlineAfter;

        await using (var site = await MqttSite.CreateAsync(tls: (certificate, key), adjust: mqtt => mqtt with { Tls = trusted }))
        {
            await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{MqttSite.Base}/#");
            var started = Stopwatch.StartNew();
            await site.StartSiloAsync();
            await watcher.WaitForAsync(message => message.Topic == $"{MqttSite.Base}/status" && message.Payload == "online", what: "status online over TLS");
            trustedOnlineAfter = started.Elapsed;
            await watcher.WaitForAsync(message => message.Topic == $"{MqttSite.Base}/relay/2_01", what: "a state over TLS");
        }

        await using (var site = await MqttSite.CreateAsync(tls: (certificate, key), adjust: mqtt => mqtt with { Tls = trusted with { CaCertificate = other } }))
        {
            await using var watcher = await MqttSubscriber.StartAsync(site.Broker, $"{MqttSite.Base}/#");
            await site.StartSiloAsync();

            // Three times as long as the trusted broker took to see the silo online, and at least 3 s.
            await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, trustedOnlineAfter.Ticks * 3)));
            Assert.Empty(watcher.Received);
        }
    }
}
