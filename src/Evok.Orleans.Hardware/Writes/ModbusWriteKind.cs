namespace Evok.Orleans.Hardware.Writes;

public enum ModbusWriteKind
{
    /// <summary>FC 5, one coil; the value is 0 or 1.</summary>
    Coil,

    /// <summary>FC 6, one holding register.</summary>
    Register,

    /// <summary>FC 16, consecutive holding registers.</summary>
    Registers,
}
