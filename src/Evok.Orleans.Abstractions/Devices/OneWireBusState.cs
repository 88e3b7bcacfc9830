using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// A 1-Wire bus behind owserver (circuit = its name in config.yaml): Evok's <c>owbus</c> keys, plus <c>online</c>:
/// false while owserver does not answer. <c>do_scan</c> and <c>do_reset</c> are commands and always read false.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.OneWireBusState")]
public sealed record OneWireBusState : DeviceState
{
    [Id(0)]
    public required double ScanInterval { get; init; }

    [Id(1)]
    public required double Interval { get; init; }

    [Id(2)]
    public required bool Online { get; init; }

    public override DeviceKind Kind => DeviceKind.OneWireBus;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("owbus");
        writer.Name("circuit").String(Circuit);
        writer.Name("bus").String(writer.Style == EvokJsonStyle.Evok2 ? "via OWFS" : "OWFS");
        writer.Name("scan_interval").Number(ScanInterval);
        writer.Name("interval").Number(Interval);
        writer.Name("do_scan").Bool(false);
        writer.Name("do_reset").Bool(false);
        writer.Name("online").Bool(Online);
    }
}
