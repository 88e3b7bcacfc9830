using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>A Modbus TCP bus (Evok's <c>comm_channels.&lt;name&gt;</c> of type MODBUSTCP).</summary>
public sealed record CommChannelConfiguration(
    string Name,
    string Hostname,
    int Port,
    ImmutableArray<ModbusDeviceConfiguration> Devices);
