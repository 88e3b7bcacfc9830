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
}
