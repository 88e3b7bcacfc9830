namespace Evok.Orleans.Modbus;

/// <summary>
/// A Modbus master, shaped like NModbus's <c>IModbusMaster</c> (slave address, start address, number of points) so
/// that NModbus can stand behind it later. The <see cref="Memory{T}"/> overloads read without allocating a result.
/// </summary>
public interface IModbusMaster : IAsyncDisposable
{
    Task<bool[]> ReadCoilsAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default);

    Task<ushort[]> ReadHoldingRegistersAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default);

    Task<ushort[]> ReadInputRegistersAsync(byte slaveAddress, ushort startAddress, ushort numberOfPoints, CancellationToken cancellationToken = default);

    Task ReadHoldingRegistersAsync(byte slaveAddress, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken = default);

    Task ReadInputRegistersAsync(byte slaveAddress, ushort startAddress, Memory<ushort> destination, CancellationToken cancellationToken = default);

    Task WriteSingleCoilAsync(byte slaveAddress, ushort coilAddress, bool value, CancellationToken cancellationToken = default);

    Task WriteSingleRegisterAsync(byte slaveAddress, ushort registerAddress, ushort value, CancellationToken cancellationToken = default);

    Task WriteMultipleRegistersAsync(byte slaveAddress, ushort startAddress, ushort[] data, CancellationToken cancellationToken = default);

    Task WriteMultipleCoilsAsync(byte slaveAddress, ushort startAddress, bool[] data, CancellationToken cancellationToken = default);
}
