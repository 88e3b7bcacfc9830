namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// <c>cluster.tls</c>, full paths of PEM files: <see cref="Ca"/> the site's authority (a peer is a member of the site
/// when its certificate chains to it), <see cref="Certificate"/> and <see cref="Key"/> this controller's own.
/// </summary>
public sealed record SiteTlsConfiguration(string Ca, string Certificate, string Key);
