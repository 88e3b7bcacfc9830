namespace Evok.Orleans.Modbus;

/// <summary>The TCP connection could not be made or was lost.</summary>
public sealed class ModbusConnectionException : ModbusException
{
    public ModbusConnectionException()
    {
    }

    public ModbusConnectionException(string message)
        : base(message)
    {
    }

    public ModbusConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
