using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>A Modbus TCP bus (Evok's <c>comm_channels.&lt;name&gt;</c> of type MODBUSTCP).</summary>
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
}
