using System.Runtime.CompilerServices;
using Evok.Orleans.Modbus.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.Modbus.Tcp;

/// <summary>
/// Modbus TCP master for one server. Safe for concurrent callers: requests are pipelined on one connection and each
/// response is paired by transaction id, unit id and function code. Ids wrap past 65535 but an id is never reused
/// while its request is outstanding, nor after a timeout until the late reply has come or the connection is gone,
/// so a slow answer can never be taken for another board's registers. A lost connection is re-made on demand, with
/// a delay that doubles per failed attempt.
/// </summary>
public sealed partial class ModbusTcpMaster(ModbusTcpMasterOptions options, ILogger<ModbusTcpMaster>? logger = null) : IPipelinedModbusMaster
{
    private readonly ILogger _logger = logger ?? NullLogger<ModbusTcpMaster>.Instance;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly SemaphoreSlim _inFlight = new(options.MaxRequestsInFlight, options.MaxRequestsInFlight);
    private ModbusTcpConnection? _connection;
    private long _nextAttemptTicks;
    private TimeSpan _reconnectDelay;
    private bool _outageReported;
    private bool _disposed;

    public string Endpoint => $"{options.Host}:{options.Port}";

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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken = default)
    {
        ModbusTcpConnection connection;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = await ConnectedAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is ModbusException or OperationCanceledException or ObjectDisposedException)
        {
            var failure = exception as ModbusException ?? new ModbusConnectionException($"not sent to {Endpoint}", exception);
            for (var i = 0; i < exchanges.Count; i++)
            {
                exchanges[i].OnFailure(failure);
            }

            return;
        }

        await connection.SendAsync(exchanges, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

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

    private async ValueTask<ModbusTcpConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } reopened)
            {
                return reopened;
            }

            if (_connection is { } dead)
            {
                _connection = null;
                await dead.DisposeAsync();
            }

            var wait = TimeSpan.FromTicks(Volatile.Read(ref _nextAttemptTicks) - DateTime.UtcNow.Ticks);
            if (wait > TimeSpan.Zero)
            {
                throw new ModbusConnectionException($"not connected to {Endpoint}; next attempt in {wait.TotalMilliseconds:0} ms");
            }

            try
            {
                _connection = await ModbusTcpConnection.ConnectAsync(options, _inFlight, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _reconnectDelay = _reconnectDelay == TimeSpan.Zero
                    ? options.MinReconnectDelay
                    : TimeSpan.FromTicks(Math.Min(_reconnectDelay.Ticks * 2, options.MaxReconnectDelay.Ticks));
                Volatile.Write(ref _nextAttemptTicks, DateTime.UtcNow.Ticks + _reconnectDelay.Ticks);
                if (!_outageReported)
                {
                    _outageReported = true;
                    LogConnectFailed(Endpoint, exception.Message);
                }

                throw new ModbusConnectionException($"cannot connect to {Endpoint}: {exception.Message}", exception);
            }

            _reconnectDelay = TimeSpan.Zero;
            if (_outageReported)
            {
                _outageReported = false;
                LogReconnected(Endpoint);
            }

            return _connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus server {Endpoint} unreachable: {Reason}; retrying with back-off")]
    private partial void LogConnectFailed(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus server {Endpoint} reachable again")]
    private partial void LogReconnected(string endpoint);
}
