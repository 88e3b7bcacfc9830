namespace Evok.Orleans.Hardware.Definitions;

/// <summary>Registers read by one Modbus request every <see cref="Frequency"/>-th scan.</summary>
public sealed record RegisterBlock(int Start, int Count, int Frequency, RegisterBlockKind Kind)
{
    public int End => Start + Count;

    public bool Contains(int address) => address >= Start && address < End;

    /// <summary>Whether scan number <paramref name="scan"/> (0 = the first) reads this block; the first reads all.</summary>
    public bool IsDue(long scan) => scan % Frequency == 0;
}
