using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// A raw Modbus TCP server whose answers a test scripts frame by frame, to misbehave in ways a real server might:
/// late replies, replies for the wrong unit.
/// </summary>
internal sealed class ScriptedModbusServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ScriptedModbusServer(Func<MbapHeader, byte[], NetworkStream, Task> onRequest)
    {
        _listener.Start();
        _loop = ServeAsync(onRequest);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A complete FC 3 response frame carrying <paramref name="values"/>.</summary>
    public static byte[] RegisterResponse(ushort transactionId, byte unitId, params ushort[] values)
    {
        var frame = new byte[ModbusLimits.MbapHeaderLength + 2 + (2 * values.Length)];
        new MbapHeader(transactionId, 0, (ushort)(3 + (2 * values.Length)), unitId).Write(frame);
        frame[7] = (byte)ModbusFunctionCode.ReadHoldingRegisters;
        frame[8] = (byte)(2 * values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(9 + (2 * i)), values[i]);
        }

        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ServeAsync(Func<MbapHeader, byte[], NetworkStream, Task> onRequest)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        var header = new byte[ModbusLimits.MbapHeaderLength];
        while (!_stop.IsCancellationRequested)
        {
            await stream.ReadExactlyAsync(header, _stop.Token);
            var mbap = MbapHeader.Read(header);
            var pdu = new byte[mbap.PduLength];
            await stream.ReadExactlyAsync(pdu, _stop.Token);
            await onRequest(mbap, pdu, stream);
        }
    }
}
