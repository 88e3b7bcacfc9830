using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Simulator;

/// <summary>
/// A Modbus TCP server for simulated boards, on loopback by default. Requests for an unknown unit id get exception
/// 11 (gateway target failed to respond), as from a TCP-to-RTU gateway; an offline board gets no answer at all.
/// It can be stopped and started again on the same port to simulate a server outage.
/// </summary>
public sealed class ModbusTcpSimulator : IAsyncDisposable
{
    private readonly FrozenDictionary<byte, SimulatedBoard> _boards;
    private readonly IPAddress _address;
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task? _acceptLoop;

    public ModbusTcpSimulator(IEnumerable<SimulatedBoard> boards, IPAddress? address = null, int port = 0)
    {
        _boards = boards.ToFrozenDictionary(board => board.UnitId);
        _address = address ?? IPAddress.Loopback;
        Port = port;
    }

    /// <summary>The port served; a port of 0 given to the constructor becomes the one the system picked.</summary>
    public int Port { get; private set; }

    public IReadOnlyDictionary<byte, SimulatedBoard> Boards => _boards;

    public bool IsRunning => _running is not null;

    /// <summary>How long the server waits before each answer (to simulate a slow bus).</summary>
    public TimeSpan ResponseDelay { get; set; }

    public SimulatedBoard this[byte unitId] => _boards[unitId];

    public void Start()
    {
        if (_running is not null)
        {
            return;
        }

        var listener = new TcpListener(_address, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _running = new CancellationTokenSource();
        _acceptLoop = AcceptAsync(listener, _running.Token);
    }

    /// <summary>Closes the listener and every client connection; boards keep their registers.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        _listener!.Stop();
        foreach (var socket in _connections.Keys)
        {
            socket.Dispose();
        }

        await _acceptLoop!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _running.Dispose();
        _running = null;
        _listener = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            _connections[socket] = Task.Run(() => ServeAsync(socket, stopping), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        // Requests are read in bulk (a master may pipeline many) and answered one by one, each with its own write, as
        // a Modbus server does. Plain ReadAsync calls keep a served request free of allocations.
        var requests = new byte[4096];
        var response = new byte[ModbusLimits.MbapHeaderLength + ModbusLimits.MaxPduLength];
        var filled = 0;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            while (!stopping.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(requests.AsMemory(filled), stopping);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var offset = 0;
                while (filled - offset >= ModbusLimits.MbapHeaderLength)
                {
                    var mbap = MbapHeader.Read(requests.AsSpan(offset));
                    if (!mbap.IsValid)
                    {
                        return;
                    }

                    var frameLength = ModbusLimits.MbapHeaderLength + mbap.PduLength;
                    if (filled - offset < frameLength)
                    {
                        break;
                    }

                    if (ResponseDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(ResponseDelay, stopping);
                    }

                    var length = Answer(mbap, requests.AsSpan(offset + ModbusLimits.MbapHeaderLength, mbap.PduLength), response);
                    offset += frameLength;
                    if (length > 0)
                    {
                        await stream.WriteAsync(response.AsMemory(0, length), stopping);
                    }
                }

                requests.AsSpan(offset, filled - offset).CopyTo(requests);
                filled -= offset;
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the simulator is stopping.
        }
        finally
        {
            _connections.TryRemove(socket, out _);
        }
    }

    /// <summary>Writes the whole response frame; returns its length, or 0 when the board is offline (no answer at all).</summary>
    private int Answer(MbapHeader request, ReadOnlySpan<byte> pdu, Span<byte> response)
    {
        int length;
        if (!_boards.TryGetValue(request.UnitId, out var board) || board.GatewayFails)
        {
            length = ModbusRequestHandler.Exception(
                response[ModbusLimits.MbapHeaderLength..], pdu[0], SlaveExceptionCode.GatewayTargetDeviceFailedToRespond);
        }
        else if (board.Offline)
        {
            return 0;
        }
        else
        {
            length = ModbusRequestHandler.Handle(board, pdu, response[ModbusLimits.MbapHeaderLength..]);
        }

        new MbapHeader(request.TransactionId, 0, (ushort)(length + 1), request.UnitId).Write(response);
        return ModbusLimits.MbapHeaderLength + length;
    }
}
