using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Modbus;

/// <summary>The server answered with a Modbus exception response (named as in NModbus).</summary>
public sealed class SlaveException : ModbusException
{
    public SlaveException(ModbusFunctionCode function, SlaveExceptionCode code)
        : base($"Modbus exception {(byte)code} ({code}) for {function}")
    {
        Function = function;
        Code = code;
    }

    public SlaveException()
    {
    }

    public SlaveException(string message)
        : base(message)
    {
    }

    public SlaveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusFunctionCode Function { get; }

    public SlaveExceptionCode Code { get; }
}
