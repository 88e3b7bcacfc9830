using System.Net;
using System.Text.RegularExpressions;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Reads the <c>cluster</c> section. Site and node names end up in grain keys (<c>plc2/relay:1_01</c>), URL paths
/// (<c>/nodes/plc2/rest/...</c>) and Redis keys, so they are kept to letters, digits, <c>-</c> and <c>_</c>.
/// </summary>
internal static partial class ClusterSection
{
    public static ClusterConfiguration? Parse(YamlSection? cluster, string? directory = null)
    {
        if (cluster is null)
        {
            return null;
        }

        var site = Name(cluster, "site", cluster.RequiredString("site"));
        var node = Name(cluster, "node", cluster.OptionalString("node") ?? Dns.GetHostName().Split('.')[0]);
        var membershipSection = cluster.OptionalSection("membership") ?? throw cluster.Missing("membership");
        var kind = membershipSection.RequiredString("type").ToLowerInvariant() switch
        {
            "redis" => MembershipKind.Redis,
            "postgresql" or "postgres" => MembershipKind.PostgreSql,
            var other => throw membershipSection.Error("type", $"expected redis or postgresql, got '{WriteValue.Quote(other)}'"),
        };
        var membership = new MembershipConfiguration(kind, membershipSection.RequiredString("connection_string"))
        {
            ConnectionStringLine = membershipSection.LineOf("connection_string"),
        };
        var siloPort = cluster.Integer("silo_port", ClusterConfiguration.DefaultSiloPort, 1, 65535);
        var gatewayPort = cluster.Integer("gateway_port", ClusterConfiguration.DefaultGatewayPort, 1, 65535);
        if (siloPort == gatewayPort)
        {
            throw cluster.Error("gateway_port", $"the silo and gateway ports must differ (both {siloPort})");
        }

        IPAddress? advertised = null;
        if (cluster.OptionalString("advertised_address") is { } text && !IPAddress.TryParse(text, out advertised))
        {
            throw cluster.Error("advertised_address", $"expected the IP address other controllers reach this one at, got '{WriteValue.Quote(text)}'");
        }

        return new ClusterConfiguration(site, node, membership)
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
            AdvertisedAddress = advertised,
            Tls = cluster.OptionalSection("tls") is { } tls ? Tls(tls, directory) : null,
        };
    }

    /// <summary>A site's TLS is mutual: every member and client app presents a certificate of the site's authority.</summary>
    private static SiteTlsConfiguration Tls(YamlSection tls, string? directory)
    {
        var (ca, certificate, key) = TlsFilesSection.Parse(tls, directory);
        return new SiteTlsConfiguration(
            ca ?? throw tls.Missing("ca"),
            certificate ?? throw tls.Missing("certificate"),
            key ?? throw tls.Missing("key"));
    }

    private static string Name(YamlSection cluster, string key, string value) =>
        SafeName().IsMatch(value)
            ? value
            : throw cluster.Error(key, $"expected a name of letters, digits, '-' and '_' (at most 63), got '{WriteValue.Quote(value)}'");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex SafeName();
}
