using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// The controller (a bus's <c>device_info</c> in config.yaml, as Unipi's autogen writes it; circuit = its model) or a
/// module (circuit = its device name, family <c>Extension</c> for xS/xM/xL/xG models): Evok's read-only
/// <c>device_info</c>. Evok 2 named its circuit <c>&lt;family&gt;_&lt;model&gt;_&lt;sn&gt;</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.DeviceInfoState")]
public sealed record DeviceInfoState : DeviceState
{
    [Id(0)]
    public required string Family { get; init; }

    [Id(1)]
    public required string Model { get; init; }

    [Id(2)]
    public long? SerialNumber { get; init; }

    [Id(3)]
    public required int BoardCount { get; init; }

    public override DeviceKind Kind => DeviceKind.DeviceInfo;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("device_info");
        writer.Name("family").String(Family);
        writer.Name("model").String(Model);
        writer.Name("sn");
        if (SerialNumber is { } serial)
        {
            writer.Integer(serial);
        }
        else
        {
            writer.Null();
        }

        writer.Name("board_count").Integer(BoardCount);
        writer.Name("circuit").String(writer.Style == EvokJsonStyle.Evok2 ? Evok2Circuit : Circuit);
    }

    /// <summary>Evok 2's circuit: Python's <c>f"{family}_{model}_{sn}"</c>, so a missing serial number reads None.</summary>
    private string Evok2Circuit => $"{Family}_{Model}_{(SerialNumber is { } serial ? serial.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}";
}
