using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// A Modbus bus: Evok's <c>comm_channels.&lt;name&gt;</c> of type MODBUSTCP (a TCP server, <see cref="Hostname"/>
/// and <see cref="Port"/>) or MODBUSRTU (an RS485 line, <see cref="Serial"/>).
/// </summary>
public sealed record CommChannelConfiguration(
    string Name,
    string Hostname,
    int Port,
    ImmutableArray<ModbusDeviceConfiguration> Devices)
{
    public const int DefaultMaxPipelinedRequests = 256;

    /// <summary>
    /// Requests on the wire at once (<c>max_pipelined_requests</c>, our addition). A scan puts one read per due
    /// block of every board on the wire together; 1 suits a gateway that cannot queue requests.
    /// </summary>
    public int MaxPipelinedRequests { get; init; } = DefaultMaxPipelinedRequests;

    /// <summary>The controller this bus belongs to (<c>device_info</c>); null when config.yaml does not say.</summary>
    public DeviceInfoConfiguration? DeviceInfo { get; init; }

    /// <summary>The serial line of a MODBUSRTU channel; null for Modbus TCP.</summary>
    public SerialLineConfiguration? Serial { get; init; }

    /// <summary>
    /// <c>failover: true</c> (ours): the bus is reachable over the network (a Modbus TCP gateway, a meter), so when this
    /// controller's silo dies a controller that declares the same channel with <see cref="StandbyFor"/> takes its
    /// polling over.
    /// </summary>
    public bool Failover { get; init; }

    /// <summary>
    /// <c>standby_for: plc2</c> (ours): this is a copy of node plc2's failover channel, polled here only while plc2 is
    /// down. Its devices are plc2's (<c>plc2/&lt;circuit&gt;</c>), not this controller's own.
    /// </summary>
    public string? StandbyFor { get; init; }

    /// <summary>Evok's <c>modbus_type</c>: <c>TCP</c> or <c>RTU</c>.</summary>
    public string ModbusType => Serial is null ? "TCP" : "RTU";

    /// <summary>Evok's <c>modbus_spec</c>: the TCP host name or the serial port.</summary>
    public string Specification => Serial?.Port ?? Hostname;
}
