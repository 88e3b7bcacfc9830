using Evok.Orleans.Client;
using Evok.Orleans.Journal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evok.Orleans.Api.Health;

/// <summary>
/// <c>/health/ready</c>: the silo answers (its configuration is loaded and its grains run), with every Modbus device
/// and 1-Wire bus and how deep each webhook's outbox is. A device or bus that does not answer makes it Degraded (the
/// API still serves, with that part offline), and so does a change journal that cannot be written (polling and live
/// delivery go on from memory); a silo whose grains do not answer within 5 s is Unhealthy (503).
/// </summary>
internal sealed class SiteReadinessCheck(EvokDevices devices, ChangeJournal? journal = null) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Evok.Orleans.Abstractions.Grains.SiteStatus status;
        try
        {
            status = await devices.StatusAsync().WaitAsync(Patience, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("the silo's grains do not answer", exception);
        }

        var data = new Dictionary<string, object> { ["configuration"] = "loaded" };
        var offline = new List<string>();
        foreach (var device in status.Devices)
        {
            data[$"modbus:{device.Device}"] = device.Online ? "online" : "offline";
            if (!device.Online)
            {
                offline.Add(device.Device);
            }
        }

        foreach (var bus in status.OneWireBuses)
        {
            data[$"owbus:{bus.Bus}"] = bus.Online ? "online" : "offline";
            if (!bus.Online)
            {
                offline.Add(bus.Bus);
            }
        }

        foreach (var webhook in status.Webhooks)
        {
            data[$"webhook:{webhook.Webhook}:outbox"] = webhook.Pending;
        }

        if (journal is not null)
        {
            data["journal"] = journal.Problem is null ? (journal.IsDurable ? "on disk" : "in memory") : "failing";
            data["journal:last"] = journal.LastSeq;
            if (journal.Problem is { } problem)
            {
                return HealthCheckResult.Degraded(offline.Count == 0 ? problem : $"{problem}; not answering: {string.Join(", ", offline)}", data: data);
            }
        }

        return offline.Count == 0
            ? HealthCheckResult.Healthy("every device and bus answers", data)
            : HealthCheckResult.Degraded($"not answering: {string.Join(", ", offline)}", data: data);
    }
}
