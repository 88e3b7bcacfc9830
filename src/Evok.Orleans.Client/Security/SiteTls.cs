using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Evok.Orleans.Client.Security;

/// <summary>
/// Mutual TLS between the members of a site and its client apps (config.yaml's <c>cluster.tls</c>): each side presents
/// a certificate of the site's authority <paramref name="Ca"/> and accepts only such a certificate. Controllers are
/// reached at the addresses the membership table holds, so a certificate's name is not checked: a certificate
/// issued by the site's authority is what makes a member.
/// </summary>
/// <param name="Ca">PEM bundle of the site's authorities.</param>
/// <param name="Certificate">PEM certificate of this controller or client app.</param>
/// <param name="Key">Its PEM private key.</param>
public sealed record SiteTls(string Ca, string Certificate, string Key)
{
    public void Configure(TlsOptions options) => Configure(options, refused: null);

    /// <param name="refused">Told of every certificate refused (a stranger, or a member of another site).</param>
    public void Configure(TlsOptions options, Action<X509Certificate2, SslPolicyErrors>? refused)
    {
        var authorities = CertificateAuthorities.FromPemFile(Ca);
        options.LocalCertificate = X509Certificate2.CreateFromPemFile(Certificate, Key);
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, errors) =>
        {
            var trusted = (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None
                && authorities.Issued(certificate);
            if (!trusted)
            {
                refused?.Invoke(certificate, errors);
            }

            return trusted;
        };
    }
}
