using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// A <c>tls</c> section naming PEM files (<c>ca</c>: the authorities a peer's certificate must chain to;
/// <c>certificate</c> and <c>key</c>: our own), checked at load so that a missing or unreadable file stops the silo
/// with file:line:key rather than failing at the first connection.
/// </summary>
internal static class TlsFilesSection
{
    /// <returns>Full paths; a key that is absent is null (but certificate and key come together).</returns>
    public static (string? Ca, string? Certificate, string? Key) Parse(YamlSection tls, string? directory)
    {
        string? File(string key)
        {
            if (tls.OptionalString(key) is not { } path)
            {
                return null;
            }

            var full = Path.GetFullPath(path, directory ?? Directory.GetCurrentDirectory());
            return System.IO.File.Exists(full) ? full : throw tls.Error(key, $"{full} does not exist");
        }

        var ca = File("ca");
        var certificate = File("certificate");
        var key = File("key");
        if ((certificate is null) != (key is null))
        {
            throw tls.Error(certificate is null ? "certificate" : "key", "a certificate needs both certificate and key");
        }

        try
        {
            if (ca is not null)
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(ca);
                if (authorities.Count == 0)
                {
                    throw tls.Error("ca", $"{ca} holds no PEM certificate");
                }
            }

            if (certificate is not null)
            {
                using var own = X509Certificate2.CreateFromPemFile(certificate, key);
            }
        }
        catch (CryptographicException exception)
        {
            throw tls.Error(certificate is not null ? "certificate" : "ca", $"not a PEM certificate (and key): {exception.Message}");
        }

        return (ca, certificate, key);
    }
}
