using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Silo;

/// <summary>
/// Logs the certificates <c>cluster.tls</c> refuses, so that a controller that does not join (or a stranger that
/// tries) is explained in the members' log, naming who presented what; once a minute per certificate, as Orleans
/// retries a connection every second. The TLS options are built before the host, so the logger arrives later
/// (<see cref="Attach"/>), when the silo resolves its lifecycle participants, before it accepts a connection.
/// </summary>
internal sealed partial class RefusedCertificates : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTime> _logged = new();
    private ILogger? _logger;

    public void Attach(ILogger<RefusedCertificates> logger) => _logger = logger;

    /// <summary>Takes part in no stage: resolved only to be handed its logger.</summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
    }

    public void Refused(X509Certificate2 certificate, SslPolicyErrors errors)
    {
        var now = DateTime.UtcNow;
        if (_logger is null || (_logged.TryGetValue(certificate.Thumbprint, out var last) && now - last < Quiet))
        {
            return;
        }

        if (_logged.Count > 256)
        {
            _logged.Clear();
        }

        _logged[certificate.Thumbprint] = now;
        LogRefused(_logger, certificate.Subject, certificate.Issuer, errors);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "cluster.tls: refused a connection presenting '{Subject}' issued by '{Issuer}' ({Errors}): not a certificate of the site's authority (cluster.tls.ca)")]
    private static partial void LogRefused(ILogger logger, string subject, string issuer, SslPolicyErrors errors);
}
