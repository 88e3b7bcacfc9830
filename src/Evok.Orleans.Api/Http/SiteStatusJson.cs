using Evok.Orleans.Abstractions.Grains;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// <c>GET /status</c>: the operator facts the dashboard shows (not an Evok endpoint, so plain camelCase JSON):
/// per board its model, bus, whether it answers, seconds since it last did, scan time, the scan rate asked for and
/// achieved (lower on a saturated RS485 line) and counters; per 1-Wire bus owserver's address, whether it answers,
/// devices found and lost, reads; per webhook its waiting batches and the last delivery result.
/// </summary>
public static class SiteStatusJson
{
    public static object From(SiteStatus status) => new
    {
        devices = status.Devices.Select(device => new
        {
            name = device.Device,
            model = device.Model,
            slaveId = device.State.SlaveId,
            online = device.Online,
            lastComm = device.State.LastCommunication,
            bus = device.State.ModbusType,
            port = device.State.ModbusSpecification,
            scanMs = Math.Round(device.LastScanMilliseconds, 2),
            scanFrequency = device.ScanFrequency,
            scansPerSecond = Math.Round(device.ScansPerSecond, 1),
            scans = device.Scans,
            failedScans = device.FailedScans,
            eventsPublished = device.EventsPublished,
        }),
        oneWireBuses = status.OneWireBuses.Select(bus => new
        {
            name = bus.Bus,
            endpoint = bus.Endpoint,
            online = bus.Online,
            devices = bus.Devices,
            lostDevices = bus.LostDevices,
            reads = bus.Reads,
            failedReads = bus.FailedReads,
            readsPerSecond = Math.Round(bus.ReadsPerSecond, 1),
            eventsPublished = bus.EventsPublished,
        }),
        webhooks = status.Webhooks.Select(webhook => new
        {
            name = webhook.Webhook,
            pending = webhook.Pending,
            delivered = webhook.Delivered,
            failed = webhook.Failed,
            dropped = webhook.Dropped,
            stateLost = webhook.StateLost,
            lastResult = webhook.LastResult,
            lastDeliveryAt = webhook.LastDeliveryAt,
        }),
    };
}
