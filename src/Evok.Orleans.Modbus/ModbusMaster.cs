using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Modbus;

/// <summary>
/// The NModbus-shaped calls of a master, built on <see cref="SendAsync"/>: each call is one exchange with a task for
/// its response, put in the master's one queue like a scan's reads. TCP and RTU masters differ only in how they put
/// exchanges on the wire.
/// </summary>
public abstract class ModbusMaster : IPipelinedModbusMaster
{
    public async Task<bool[]> ReadCoilsAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default)
    {
        Check(numberOfPoints, ModbusLimits.MaxReadBits);
        var pdu = new byte[5];
        ModbusPdu.WriteReadRequest(pdu, ModbusFunctionCode.ReadCoils, startAddress, numberOfPoints);
        var response = await ExchangeAsync(slaveAddress, pdu, cancellationToken);
        var result = new bool[numberOfPoints];
        ModbusPdu.ReadBits(response, ModbusFunctionCode.ReadCoils, result);
        return result;
    }

    public async Task<ushort[]> ReadHoldingRegistersAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default)
    {
        var result = new ushort[numberOfPoints];
        await ReadRegistersAsync(ModbusFunctionCode.ReadHoldingRegisters, slaveAddress, startAddress, result, cancellationToken);
        return result;
    }

    public async Task<ushort[]> ReadInputRegistersAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default)
    {
        var result = new ushort[numberOfPoints];
        await ReadRegistersAsync(ModbusFunctionCode.ReadInputRegisters, slaveAddress, startAddress, result, cancellationToken);
        return result;
    }

    public Task ReadHoldingRegistersAsync(byte slaveAddress, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(ModbusFunctionCode.ReadHoldingRegisters, slaveAddress, startAddress, destination, cancellationToken);

    public Task ReadInputRegistersAsync(byte slaveAddress, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(ModbusFunctionCode.ReadInputRegisters, slaveAddress, startAddress, destination, cancellationToken);

    public Task WriteSingleCoilAsync(byte slaveAddress, ushort coilAddress, bool value, CancellationToken cancellationToken = default)
    {
        var pdu = new byte[5];
        ModbusPdu.WriteSingleRequest(pdu, ModbusFunctionCode.WriteSingleCoil, coilAddress, value ? (ushort)0xFF00 : (ushort)0);
        return WriteAsync(slaveAddress, pdu, cancellationToken);
    }

    public Task WriteSingleRegisterAsync(byte slaveAddress, ushort registerAddress, ushort value, CancellationToken cancellationToken = default)
    {
        var pdu = new byte[5];
        ModbusPdu.WriteSingleRequest(pdu, ModbusFunctionCode.WriteSingleRegister, registerAddress, value);
        return WriteAsync(slaveAddress, pdu, cancellationToken);
    }

    public Task WriteMultipleRegistersAsync(byte slaveAddress, ushort startAddress, ushort[] data, CancellationToken cancellationToken = default)
    {
        Check(data.Length, ModbusLimits.MaxWriteRegisters);
        var pdu = new byte[6 + (2 * data.Length)];
        ModbusPdu.WriteMultipleRegistersRequest(pdu, startAddress, data);
        return WriteAsync(slaveAddress, pdu, cancellationToken);
    }

    public Task WriteMultipleCoilsAsync(byte slaveAddress, ushort startAddress, bool[] data, CancellationToken cancellationToken = default)
    {
        Check(data.Length, ModbusLimits.MaxWriteCoils);
        var pdu = new byte[6 + ((data.Length + 7) / 8)];
        ModbusPdu.WriteMultipleCoilsRequest(pdu, startAddress, data);
        return WriteAsync(slaveAddress, pdu, cancellationToken);
    }

    public abstract ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    private static void Check(int quantity, int max)
    {
        if (quantity < 1 || quantity > max)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"a request carries 1 to {max} points");
        }
    }

    private async Task ReadRegistersAsync(ModbusFunctionCode function, byte slaveAddress, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        Check(destination.Length, ModbusLimits.MaxReadRegisters);
        var pdu = new byte[5];
        ModbusPdu.WriteReadRequest(pdu, function, startAddress, (ushort)destination.Length);
        var response = await ExchangeAsync(slaveAddress, pdu, cancellationToken);
        ModbusPdu.ReadRegisters(response, function, destination.Span);
    }

    private async Task WriteAsync(byte slaveAddress, byte[] pdu, CancellationToken cancellationToken)
    {
        var response = await ExchangeAsync(slaveAddress, pdu, cancellationToken);
        ModbusPdu.CheckWriteEcho(response, pdu);
    }

    private async Task<byte[]> ExchangeAsync(byte unitId, byte[] requestPdu, CancellationToken cancellationToken)
    {
        var exchange = new TaskExchange(unitId, requestPdu);
        await SendAsync([exchange], cancellationToken);
        return cancellationToken.CanBeCanceled ? await exchange.Response.WaitAsync(cancellationToken) : await exchange.Response;
    }
}
