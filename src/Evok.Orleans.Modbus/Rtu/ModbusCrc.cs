namespace Evok.Orleans.Modbus.Rtu;

/// <summary>The CRC-16 of a Modbus RTU frame (polynomial 0xA001 reflected, initial 0xFFFF, sent low byte first).</summary>
public static class ModbusCrc
{
    private static readonly ushort[] Table = CreateTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ Table[(crc ^ b) & 0xFF]);
        }

        return crc;
    }

    /// <summary>Appends the CRC of <paramref name="frame"/>[..length] at length; returns the new length.</summary>
    public static int Append(Span<byte> frame, int length)
    {
        var crc = Compute(frame[..length]);
        frame[length] = (byte)(crc & 0xFF);
        frame[length + 1] = (byte)(crc >> 8);
        return length + 2;
    }

    /// <summary>Whether a whole frame (its CRC last) is intact.</summary>
    public static bool IsValid(ReadOnlySpan<byte> frame) =>
        frame.Length >= 4 && Compute(frame[..^2]) == (frame[^2] | (frame[^1] << 8));

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
