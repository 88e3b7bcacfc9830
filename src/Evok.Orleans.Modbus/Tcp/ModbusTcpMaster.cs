using System.Runtime.CompilerServices;
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
public sealed partial class ModbusTcpMaster(ModbusTcpMasterOptions options, ILogger<ModbusTcpMaster>? logger = null) : ModbusMaster
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken = default)
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

    public override async ValueTask DisposeAsync()
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
