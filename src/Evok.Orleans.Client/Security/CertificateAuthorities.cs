using System.Security.Cryptography.X509Certificates;

namespace Evok.Orleans.Client.Security;

/// <summary>
/// A site's own certificate authorities (a PEM bundle), judged on their own: a certificate is trusted when it chains to
/// one of them. The system's trust store is not consulted (a public CA must not make a stranger a member of the site),
/// and revocation is not checked (a site's own CA publishes no revocation list a controller could reach).
/// </summary>
public sealed class CertificateAuthorities(X509Certificate2Collection authorities)
{
    public static CertificateAuthorities FromPemFile(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return new CertificateAuthorities(authorities);
    }

    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
