namespace Evok.Orleans.TestSupport;

/// <summary>The <c>cluster</c> section that makes a test silo node <c>node</c> of a site on loopback, joined through Redis.</summary>
public static class ClusterSection
{
    public static string Yaml(string site, string node, string redis, int? siloPort = null, int? gatewayPort = null) => $"""
        cluster:
          site: {site}
          node: {node}
          membership:
            type: redis
            connection_string: "{redis}"
        {(siloPort is null ? string.Empty : $"  silo_port: {siloPort}\n")}{(gatewayPort is null ? string.Empty : $"  gateway_port: {gatewayPort}\n")}  advertised_address: 127.0.0.1

        """;
}
