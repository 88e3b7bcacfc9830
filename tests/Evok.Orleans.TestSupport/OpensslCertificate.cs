using System.Diagnostics;

namespace Evok.Orleans.TestSupport;

/// <summary>EC certificates and their keys, made by Debian's openssl (an independent maker of what TLS peers load).</summary>
public static class OpensslCertificate
{
    /// <summary>A self-signed certificate (openssl's default extensions make it an authority too).</summary>
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
        await RunAsync(arguments);
        return (certificate, key);
    }

    /// <summary>A certificate for both ends of a connection (server and client authentication), issued by <paramref name="authority"/>.</summary>
    /// <returns>The PEM files <c>&lt;name&gt;.pem</c> (certificate) and <c>&lt;name&gt;.key</c> in <paramref name="folder"/>.</returns>
    public static async Task<(string Certificate, string Key)> IssueAsync(string folder, string name, (string Certificate, string Key) authority)
    {
        var (certificate, key, request, extensions) =
            (Path.Combine(folder, $"{name}.pem"), Path.Combine(folder, $"{name}.key"), Path.Combine(folder, $"{name}.csr"), Path.Combine(folder, $"{name}.ext"));
        await File.WriteAllTextAsync(extensions, "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n");
        await RunAsync(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", $"/CN={name}", "-keyout", key, "-out", request]);
        await RunAsync(["x509", "-req", "-in", request, "-CA", authority.Certificate, "-CAkey", authority.Key, "-set_serial", $"{Random.Shared.NextInt64(1, long.MaxValue)}",
            "-days", "1", "-extfile", extensions, "-out", certificate]);
        return (certificate, key);
    }

    private static async Task RunAsync(string[] arguments)
    {
        using var openssl = Process.Start(new ProcessStartInfo("openssl", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        if (openssl.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed: {error}");
        }
    }
}
