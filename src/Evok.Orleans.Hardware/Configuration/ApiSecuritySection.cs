using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// The keys of <c>apis</c> that decide who may use the API: <c>auth</c>, <c>hosts</c>, <c>cors_origins</c>, <c>tls</c>.
/// An API reachable from the network without tokens is refused unless <c>auth: none</c> says so on purpose.
/// </summary>
internal static class ApiSecuritySection
{
    public static ApiConfiguration Apply(ApiConfiguration api, YamlSection apis, string? directory)
    {
        var tokens = ImmutableArray<ApiToken>.Empty;
        var open = false;
        if (apis.IsList("auth"))
        {
            tokens = Tokens(apis);
        }
        else if (apis.OptionalString("auth") is { } auth)
        {
            open = auth.Equals("none", StringComparison.OrdinalIgnoreCase)
                ? true
                : throw apis.Error("auth", "expected a list of tokens ({name, role, token_sha256}; 'evok-orleans token create' makes one) or 'none'");
        }

        if (tokens.IsEmpty && !open && !IsLoopback(api.Address))
        {
            throw apis.Error("address", $"the API would listen on {(api.Address.Length == 0 ? "every interface" : api.Address)} without apis.auth, " +
                "so anyone on that network could switch outputs: add tokens ('evok-orleans token create'), or say apis.auth: none");
        }

        return api with
        {
            Tokens = tokens,
            OpenOnPurpose = open,
            Hosts = Hosts(apis),
            CorsOrigins = CorsOrigins(apis),
            Tls = apis.OptionalSection("tls") is { } tls ? Tls(tls, directory) : null,
        };
    }

    private static bool IsLoopback(string address) => IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);

    private static ImmutableArray<ApiToken> Tokens(YamlSection apis)
    {
        var tokens = ImmutableArray.CreateBuilder<ApiToken>();
        foreach (var entry in apis.SectionList("auth"))
        {
            var name = entry.RequiredString("name");
            if (tokens.Any(token => token.Name == name))
            {
                throw entry.Error("name", $"token name '{name}' is used twice");
            }

            var role = entry.RequiredString("role").ToLowerInvariant() switch
            {
                "read" => ApiRole.Read,
                "write" => ApiRole.Write,
                var other => throw entry.Error("role", $"expected read or write, got '{other}'"),
            };
            var hash = entry.RequiredString("token_sha256").ToLowerInvariant();
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            {
                throw entry.Error("token_sha256", "expected the 64 hex digits 'evok-orleans token create' prints (never the token itself)");
            }

            tokens.Add(new ApiToken(name, role, hash));
        }

        return tokens.Count == 0 ? throw apis.Error("auth", "an empty list would lock everyone out; list tokens, or say none") : tokens.ToImmutable();
    }

    private static ImmutableArray<string> Hosts(YamlSection apis) =>
        [.. (apis.StringList("hosts") ?? []).Select((host, index) =>
            host == "*" || Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown
                ? host.ToLowerInvariant()
                : throw apis.Error("hosts", $"entry {index + 1}: expected a host name or address (no scheme, no port), got '{host}'"))];

    private static ImmutableArray<string> CorsOrigins(YamlSection apis) =>
        [.. (apis.StringList("cors_origins") ?? []).Select((origin, index) =>
            Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/" && uri.UserInfo.Length == 0
                ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
                : throw apis.Error("cors_origins", $"entry {index + 1}: expected an origin such as https://scada.example:8443, got '{origin}'"))];

    private static TlsConfiguration Tls(YamlSection tls, string? directory)
    {
        var certificate = Resolve(tls.RequiredString("certificate"), directory);
        var key = Resolve(tls.RequiredString("key"), directory);
        foreach (var (name, path) in new[] { ("certificate", certificate), ("key", key) })
        {
            if (!File.Exists(path))
            {
                throw tls.Error(name, $"{path} does not exist");
            }
        }

        try
        {
            // Loaded once here so a wrong file is exit 2 naming the key, not a silo that fails on its first connection.
            using var loaded = X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (CryptographicException exception)
        {
            throw tls.Error("certificate", $"{certificate} with key {key} is not a PEM certificate and its private key: {exception.Message}");
        }

        return new TlsConfiguration(certificate, key);
    }

    private static string Resolve(string path, string? directory) => Path.GetFullPath(path, directory ?? Directory.GetCurrentDirectory());
}
