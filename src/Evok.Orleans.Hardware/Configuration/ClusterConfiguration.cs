using System.Net;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// The <c>cluster</c> section (ours; Evok has none): this controller is node <see cref="Node"/> of the site
/// <see cref="Site"/>, an Orleans cluster whose members find each other in <see cref="Membership"/>. Without the
/// section a controller is a cluster of one on loopback, as before.
/// </summary>
public sealed record ClusterConfiguration(string Site, string Node, MembershipConfiguration Membership)
{
    public const int DefaultSiloPort = 11111;

    public const int DefaultGatewayPort = 30000;

    public int SiloPort { get; init; } = DefaultSiloPort;

    public int GatewayPort { get; init; } = DefaultGatewayPort;

    /// <summary>
    /// The address the other controllers and client apps reach this one at; null lets Orleans take this machine's
    /// first non-loopback address. A loopback address keeps the silo and gateway ports on loopback (a test site).
    /// </summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary><c>cluster.tls</c>: null = Orleans' traffic in the clear (a network the site trusts).</summary>
    public SiteTlsConfiguration? Tls { get; init; }
}
