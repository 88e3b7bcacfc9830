using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Evok.Orleans.Client.Security;
using MQTTnet;

namespace Evok.Orleans.Mqtt;

/// <summary>
/// <c>apis.mqtt.tls.ca</c>: the broker's certificate must chain to one of these authorities (a site's own CA, as brokers
/// on a LAN usually have; the PEM file may hold several) and name the host we connect to; the system's trust store is
/// not consulted for it.
/// </summary>
public sealed class BrokerCertificateAuthority(CertificateAuthorities authorities)
{
    public static BrokerCertificateAuthority FromPemFile(string path) => new(CertificateAuthorities.FromPemFile(path));

    public bool Validate(MqttClientCertificateValidationEventArgs presented)
    {
        // A name mismatch or no certificate at all is never acceptable; chain errors are judged against our authority.
        if ((presented.SslPolicyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || presented.Certificate is null)
        {
            return false;
        }

        using var certificate = new X509Certificate2(presented.Certificate);
        return authorities.Issued(certificate);
    }
}
