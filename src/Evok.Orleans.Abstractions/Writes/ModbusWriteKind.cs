namespace Evok.Orleans.Abstractions.Writes;

[GenerateSerializer, Alias("evok.ModbusWriteKind")]
public enum ModbusWriteKind
{
    /// <summary>FC 5, one coil; the value is 0 or 1.</summary>
    Coil = 0,

    /// <summary>FC 6, one holding register.</summary>
    Register = 1,

    /// <summary>FC 16, consecutive holding registers.</summary>
    Registers = 2,
}
