using System.Net;
using System.Net.Sockets;

namespace Evok.Orleans.TestSupport;

public static class FreeTcpPort
{
    // Ports are handed out below Linux's ephemeral range (32768–60999): a port the kernel gave out for "port 0" is
    // also what it gives the next outgoing connection, so a receiver started a few seconds after its port was chosen
    // found it taken by a client socket (CI saw "address already in use"). Below the range only a listener that asks
    // for the number takes it; the counter keeps this process's tests apart and the process id offsets parallel runs.
    // The range stops short of 30000, the gateway port of a silo started without arguments.
    private const int FirstPort = 20000;
    private const int PortCount = 10000;
    private static int _counter = Environment.ProcessId % 64 * 200;

    /// <summary>A loopback port that is free now and that no outgoing connection will be given, for peers that cannot
    /// be told to pick one themselves.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < PortCount; attempt++)
        {
            var port = FirstPort + (int)((uint)Interlocked.Increment(ref _counter) % PortCount);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by someone else: try the next one.
            }
        }

        throw new InvalidOperationException($"no free loopback port between {FirstPort} and {FirstPort + PortCount - 1}");
    }

    /// <summary>Waits until something accepts connections on the port.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
