namespace Evok.Orleans.TestSupport;

/// <summary>The <c>cluster</c> section that makes a test silo node <c>node</c> of a site on loopback, joined through Redis.</summary>
public static class ClusterSection
{
    /// <param name="tls">PEM files of <c>cluster.tls</c>: the site's authority, this node's certificate and key.</param>
    public static string Yaml(string site, string node, string redis, int? siloPort = null, int? gatewayPort = null, (string Ca, string Certificate, string Key)? tls = null) => $"""
        cluster:
          site: {site}
          node: {node}
          membership:
            type: redis
            connection_string: "{redis}"
        {(siloPort is null ? string.Empty : $"  silo_port: {siloPort}\n")}{(gatewayPort is null ? string.Empty : $"  gateway_port: {gatewayPort}\n")}{(tls is { } files ? $"  tls: {{ca: {files.Ca}, certificate: {files.Certificate}, key: {files.Key}}}\n" : string.Empty)}  advertised_address: 127.0.0.1

        """;
}
