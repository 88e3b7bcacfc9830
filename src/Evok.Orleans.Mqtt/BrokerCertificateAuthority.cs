using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Evok.Orleans.Mqtt;

/// <summary>
/// <c>apis.mqtt.tls.ca</c>: the broker's certificate must chain to one of these authorities (a site's own CA, as brokers
/// on a LAN usually have; the PEM file may hold several) and name the host we connect to; the system's trust store is
/// not consulted for it.
/// </summary>
public sealed class BrokerCertificateAuthority(X509Certificate2Collection authorities)
{
    public static BrokerCertificateAuthority FromPemFile(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return new BrokerCertificateAuthority(authorities);
    }

    public bool Validate(MqttClientCertificateValidationEventArgs presented)
    {
        // A name mismatch or no certificate at all is never acceptable; chain errors are judged against our authority.
        if ((presented.SslPolicyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || presented.Certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented.Certificate);
        return chain.Build(certificate);
    }
}
