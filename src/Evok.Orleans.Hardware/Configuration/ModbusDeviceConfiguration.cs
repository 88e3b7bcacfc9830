using Evok.Orleans.Hardware.Definitions;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>One Modbus device (a board section or extension module) on a bus.</summary>
public sealed record ModbusDeviceConfiguration(
    string Name,
    string Channel,
    byte SlaveId,
    double ScanFrequency,
    int GlobalDeviceId,
    BoardDefinition Board)
{
    public TimeSpan ScanInterval => TimeSpan.FromSeconds(1 / ScanFrequency);

    /// <summary>
    /// Evok's <c>scan_enabled</c>: false reads the device once (until that read succeeds) and then only when written,
    /// for devices whose values do not change by themselves.
    /// </summary>
    public bool ScanEnabled { get; init; } = true;
}
