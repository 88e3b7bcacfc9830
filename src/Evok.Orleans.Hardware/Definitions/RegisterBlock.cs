namespace Evok.Orleans.Hardware.Definitions;

/// <summary>Registers read by one Modbus request every <see cref="Frequency"/>-th scan.</summary>
public sealed record RegisterBlock(int Start, int Count, int Frequency, RegisterBlockKind Kind)
{
    /// <summary>
    /// Where the block's values lie in a board's register image: at <see cref="Start"/>, except input registers of a
    /// definition whose input and holding blocks overlap, which are moved past the holding ones (Modbus keeps the two
    /// spaces apart, so register 2 and input register 2 are different values).
    /// </summary>
    public int ImageStart { get; init; } = Start;

    public int End => Start + Count;

    public int ImageEnd => ImageStart + Count;

    /// <summary>Whether the block holds the register at this place of the image.</summary>
    public bool Contains(int imageAddress) => imageAddress >= ImageStart && imageAddress < ImageEnd;

    /// <summary>Whether scan number <paramref name="scan"/> (0 = the first) reads this block; the first reads all.</summary>
    public bool IsDue(long scan) => scan % Frequency == 0;
}
