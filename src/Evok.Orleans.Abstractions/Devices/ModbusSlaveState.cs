using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A Modbus device (a board section or an extension module), circuit = its name in config.yaml. Evok's
/// <c>modbus_slave</c> keys, plus <c>online</c>: false while its scans fail.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.ModbusSlaveState")]
public sealed record ModbusSlaveState : DeviceState
{
    /// <summary>Seconds since the device last answered (-1 when it never has).</summary>
    [Id(0)]
    public required double LastCommunication { get; init; }

    [Id(1)]
    public required int SlaveId { get; init; }

    [Id(2)]
    public required bool Online { get; init; }

    /// <summary>Evok's <c>modbus_type</c>: <c>TCP</c> or <c>RTU</c>.</summary>
    [Id(3)]
    public string ModbusType { get; init; } = "TCP";

    /// <summary>Evok's <c>modbus_spec</c>: the TCP host name or the serial port.</summary>
    [Id(4)]
    public string? ModbusSpecification { get; init; }

    /// <summary>Seconds between two scans (1 / <c>scan_frequency</c>); Evok 3 reports it, Evok 2 did not.</summary>
    [Id(5)]
    public double? ScanInterval { get; init; }

    public override DeviceKind Kind => DeviceKind.ModbusSlave;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("modbus_slave");
        writer.Name("circuit").String(Circuit);
        WriteGlobalDeviceId(writer);
        writer.Name("last_comm").Float(Math.Round(LastCommunication, 3));
        writer.Name("slave_id").Integer(SlaveId);
        writer.Name("modbus_type").String(ModbusType);
        if (ModbusSpecification is not null)
        {
            writer.Name("modbus_spec").String(ModbusSpecification);
        }

        if (writer.Style == EvokJsonStyle.Evok3 && ScanInterval is { } interval)
        {
            writer.Name("scan_interval").Float(interval);
        }

        writer.Name("online").Bool(Online);
    }
}
