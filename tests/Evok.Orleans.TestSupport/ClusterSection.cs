namespace Evok.Orleans.TestSupport;

/// <summary>The <c>cluster</c> section that makes a test silo node <c>node</c> of a site on loopback, joined through Redis (or PostgreSQL).</summary>
public static class ClusterSection
{
    /// <param name="tls">PEM files of <c>cluster.tls</c>: the site's authority, this node's certificate and key.</param>
    /// <param name="membership">The membership store's type (<c>redis</c>, <c>postgresql</c>) whose connection string <paramref name="store"/> is.</param>
    public static string Yaml(
        string site, string node, string store, int? siloPort = null, int? gatewayPort = null, (string Ca, string Certificate, string Key)? tls = null, string membership = "redis") => $"""
        cluster:
          site: {site}
          node: {node}
          membership:
            type: {membership}
            connection_string: "{store}"
        {(siloPort is null ? string.Empty : $"  silo_port: {siloPort}\n")}{(gatewayPort is null ? string.Empty : $"  gateway_port: {gatewayPort}\n")}{(tls is { } files ? $"  tls: {{ca: {files.Ca}, certificate: {files.Certificate}, key: {files.Key}}}\n" : string.Empty)}  advertised_address: 127.0.0.1

        """;
}
