using System.Diagnostics;

namespace Evok.Orleans.TestSupport;

/// <summary>A self-signed EC certificate and its key, made by Debian's openssl (an independent maker of what TLS peers load).</summary>
public static class OpensslCertificate
{
    /// <returns>The PEM files <c>&lt;name&gt;.pem</c> (certificate) and <c>&lt;name&gt;.key</c> in <paramref name="folder"/>.</returns>
    public static async Task<(string Certificate, string Key)> CreateAsync(string folder, string name, string? subjectAltName = null)
    {
        var (certificate, key) = (Path.Combine(folder, $"{name}.pem"), Path.Combine(folder, $"{name}.key"));
        string[] arguments =
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", $"/CN={name}",
            .. subjectAltName is null ? Array.Empty<string>() : ["-addext", $"subjectAltName={subjectAltName}"],
            "-keyout", key, "-out", certificate,
        ];
        using var openssl = Process.Start(new ProcessStartInfo("openssl", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        if (openssl.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl failed: {error}");
        }

        return (certificate, key);
    }
}
