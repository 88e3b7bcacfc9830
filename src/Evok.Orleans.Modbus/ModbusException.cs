namespace Evok.Orleans.Modbus;

/// <summary>Base of every failure a Modbus master reports.</summary>
public class ModbusException : Exception
{
    public ModbusException()
    {
    }

    public ModbusException(string message)
        : base(message)
    {
    }

    public ModbusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
