namespace Evok.Orleans.Hardware.Maps;

/// <summary>The last-read value of every register of one board, addressed directly by register number.</summary>
public sealed class RegisterImage(int size)
{
    private readonly ushort[] _values = new ushort[size];

    public ushort this[int address]
    {
        get => _values[address];
        set => _values[address] = value;
    }

    public int Size => _values.Length;

    public Span<ushort> Slice(int start, int count) => _values.AsSpan(start, count);

    public RegisterImage Copy()
    {
        var copy = new RegisterImage(_values.Length);
        _values.CopyTo(copy._values, 0);
        return copy;
    }
}
