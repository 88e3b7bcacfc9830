namespace Evok.Orleans.Modbus.Protocol;

/// <summary>Quantity limits of the Modbus application protocol (V1.1b3), which keep every PDU within 253 bytes.</summary>
public static class ModbusLimits
{
    public const int MaxReadRegisters = 125;
    public const int MaxReadBits = 2000;
    public const int MaxWriteRegisters = 123;
    public const int MaxWriteCoils = 1968;
    public const int MaxPduLength = 253;
    public const int MbapHeaderLength = 7;
}
