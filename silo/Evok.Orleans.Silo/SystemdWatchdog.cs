using System.Globalization;
using Evok.Orleans.Client;
using Evok.Orleans.Hardware.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Silo;

/// <summary>
/// Pings systemd's watchdog (<c>WatchdogSec=</c> in the unit) only while the buses are being scanned: when no scan
/// of any Modbus device or 1-Wire bus was attempted since the last ping (a stuck bus loop, a hung silo), the pings
/// stop and systemd restarts the service. A scan that fails still counts: a board that is unplugged is the bus
/// working, and a restart would not bring it back. A site with nothing to scan (no bus, or only devices with
/// <c>scan_enabled: false</c>) is watched for the silo answering only.
/// </summary>
internal sealed partial class SystemdWatchdog(ISystemdNotifier notifier, EvokDevices devices, SiteConfiguration site, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    private readonly bool _scans = site.Devices.Any(device => device.ScanEnabled) || !site.OneWireBuses.IsEmpty;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled ||
            !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds))
        {
            return;
        }

        // Twice per watchdog period, as sd_watchdog_enabled(3) advises.
        using var timer = new PeriodicTimer(TimeSpan.FromMicroseconds(microseconds / 2));
        long? lastAttempts = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            long attempts;
            try
            {
                var status = await devices.StatusAsync().WaitAsync(TimeSpan.FromMicroseconds(microseconds / 4), stoppingToken);
                attempts = status.Devices.Sum(device => device.Scans + device.FailedScans) +
                    status.OneWireBuses.Sum(bus => bus.Reads + bus.FailedReads);
                if (!_scans)
                {
                    // Nothing to scan: the silo answering is all there is to watch.
                    attempts = (lastAttempts ?? 0) + 1;
                }
            }
            catch (Exception exception) when (exception is TimeoutException or global::Orleans.Runtime.OrleansException)
            {
                LogNoAnswer(logger, exception.Message);
                continue;
            }

            if (lastAttempts is { } last && attempts == last)
            {
                LogNoScans(logger);
                continue;
            }

            lastAttempts = attempts;
            notifier.Notify(new ServiceState("WATCHDOG=1"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watchdog not pinged: the silo did not answer ({Problem})")]
    private static partial void LogNoAnswer(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watchdog not pinged: no bus was scanned since the last ping")]
    private static partial void LogNoScans(ILogger logger);
}
