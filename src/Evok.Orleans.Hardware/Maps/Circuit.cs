using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Features;

namespace Evok.Orleans.Hardware.Maps;

/// <summary>One circuit of a board map: its names, the feature that decodes it and the registers it depends on.</summary>
public sealed record Circuit(
    int Ordinal,
    string Name,
    string Key,
    Feature Feature,
    int Index,
    ImmutableArray<int> Registers)
{
    public DeviceKind Kind => Feature.Kind;

    public DeviceState Decode(RegisterImage registers, int globalDeviceId) =>
        Feature.Decode(registers, Index, Name, globalDeviceId);
}
