using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// How a Modbus device's polling goes: Evok's <c>modbus_slave</c> facts plus scan counters, the scan rate asked for
/// (<c>scan_frequency</c>) and the rate achieved over the last seconds (below it on a saturated RS485 line).
/// </summary>
[GenerateSerializer, Alias("evok.ModbusDeviceStatus")]
public sealed record ModbusDeviceStatus(
    [property: Id(0)] string Device,
    [property: Id(1)] bool Online,
    [property: Id(2)] DateTimeOffset? LastCommunication,
    [property: Id(3)] long Scans,
    [property: Id(4)] long FailedScans,
    [property: Id(5)] int CircuitCount,
    [property: Id(6)] ModbusSlaveState State,
    [property: Id(7)] string Model,
    [property: Id(8)] double LastScanMilliseconds,
    [property: Id(9)] long EventsPublished,
    [property: Id(10)] double ScanFrequency,
    [property: Id(11)] double ScansPerSecond);
