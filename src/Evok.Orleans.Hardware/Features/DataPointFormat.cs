namespace Evok.Orleans.Hardware.Features;

/// <summary>How a data point's registers become its value: a DATA_POINT feature's keys.</summary>
public sealed record DataPointFormat(int ValueRegister, string? DataType, double Factor, double Offset)
{
    public string? Name { get; init; }

    public string? Unit { get; init; }

    public int? ValidMaskRegister { get; init; }
}
