namespace Evok.Orleans.Modbus;

/// <summary>A response broke the Modbus protocol (bad header, wrong length, wrong echo).</summary>
public sealed class ModbusProtocolException : ModbusException
{
    public ModbusProtocolException()
    {
    }

    public ModbusProtocolException(string message)
        : base(message)
    {
    }

    public ModbusProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
