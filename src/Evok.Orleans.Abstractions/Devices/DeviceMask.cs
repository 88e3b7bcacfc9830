namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A set of circuit kinds, built from Evok type names (<c>["relay", "ao"]</c>).</summary>
[GenerateSerializer, Alias("evok.DeviceMask")]
public sealed record DeviceMask([property: Id(0)] int Bits)
{
    public static DeviceMask Everything { get; } = new(~0);

    public static DeviceMask Of(params IEnumerable<DeviceKind> kinds) =>
        new(kinds.Aggregate(0, (bits, kind) => bits | (1 << (int)kind)));

    /// <summary>Builds a mask from type names; an unknown name is reported through <paramref name="unknown"/>.</summary>
    public static bool TryParse(IEnumerable<string> names, out DeviceMask mask, out string? unknown)
    {
        var bits = 0;
        foreach (var name in names)
        {
            if (!DeviceTypeNames.TryResolve(name, out var kinds))
            {
                mask = new DeviceMask(0);
                unknown = name;
                return false;
            }

            foreach (var kind in kinds)
            {
                bits |= 1 << (int)kind;
            }
        }

        mask = new DeviceMask(bits);
        unknown = null;
        return true;
    }

    public bool Contains(DeviceKind kind) => (Bits & (1 << (int)kind)) != 0;
}
