using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Tcp;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>
/// The master's socket is blocking (a thread of its own reads it), so the deadlines a non-blocking socket had for free
/// are its own: a connect nobody answers, a caller who gives up while it connects, a server that stops reading.
/// </summary>
public sealed class StalledPeerTests : IDisposable
{
    private readonly Socket _fullListener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _queued = [];

    /// <summary>
    /// A listener whose accept queue is full: Linux drops the SYNs of further connects, which then wait unanswered as
    /// they do for a controller that lost power on a real network.
    /// </summary>
    public StalledPeerTests()
    {
        _fullListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _fullListener.Listen(1);
        for (var i = 0; i < 3; i++)
        {
            var queued = new Socket(SocketType.Stream, ProtocolType.Tcp);
            _queued.Add(queued);
            _ = queued.ConnectAsync(_fullListener.LocalEndPoint!);
        }
    }

    private int FullListenerPort => ((IPEndPoint)_fullListener.LocalEndPoint!).Port;

    private ModbusTcpMaster MasterOfFullListener(TimeSpan connectTimeout) => new(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = FullListenerPort,
        ConnectTimeout = connectTimeout,
    });

    public void Dispose()
    {
        foreach (var queued in _queued)
        {
            queued.Dispose();
        }

        _fullListener.Dispose();
    }

    [Fact]
    public async Task A_connect_that_gets_no_answer_fails_after_the_connect_timeout()
    {
        await using var master = MasterOfFullListener(TimeSpan.FromMilliseconds(500));
        var read = new RecordingRead(1, 0, 1);
        var clock = Stopwatch.StartNew();

        await master.SendAsync([read]);
        await read.Completed.WaitAsync(TimeSpan.FromSeconds(10));

        var failure = Assert.IsType<ModbusConnectionException>(read.Failure);
        Assert.Contains("no answer within 500 ms", failure.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_caller_that_cancels_while_the_master_connects_gets_its_reads_failed_at_once()
    {
        await using var master = MasterOfFullListener(TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var read = new RecordingRead(1, 0, 1);
        var clock = Stopwatch.StartNew();

        await master.SendAsync([read], cancel.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await read.Completed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsType<ModbusConnectionException>(read.Failure);
        Assert.Equal(1, read.Completions);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_server_that_stops_reading_requests_has_the_connection_closed_after_the_request_timeout()
    {
        // A server that accepts and never reads: its small receive buffer and the master's send buffer (4 MB at most
        // here) fill up, and the send blocks. Timed-out requests alone would never recycle the connection here.
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)server.LocalEndPoint!).Port,
            RequestTimeout = TimeSpan.FromMilliseconds(500),
            MaxRequestsInFlight = 30_000,
            MaxAbandonedRequests = 30_000,
        });
        var writes = Enumerable.Range(0, 30_000).Select(i => new RecordingWrite(1, (ushort)i)).ToList();
        var clock = Stopwatch.StartNew();

        // The send blocks its caller (the bus's scan thread) until the connection is closed under it.
        await Task.Run(() => master.SendAsync(writes).AsTask()).WaitAsync(TimeSpan.FromSeconds(20));
        await Task.WhenAll(writes.Select(write => write.Completed)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(writes, write =>
        {
            Assert.Equal(1, write.Completions);
            Assert.IsAssignableFrom<ModbusException>(write.Failure);
        });
        Assert.Contains(writes, write => write.Failure!.Message.Contains("has not read a request for 500 ms", StringComparison.Ordinal));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
    }
}
