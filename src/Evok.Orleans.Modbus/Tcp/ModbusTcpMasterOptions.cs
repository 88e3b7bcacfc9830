namespace Evok.Orleans.Modbus.Tcp;

public sealed record ModbusTcpMasterOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 502;

    /// <summary>How long a request waits for its response (checked every quarter of it, 10 to 250 ms).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first wait after a failed connect; it doubles per failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Kept short so a server that comes back is used again within half a second.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Requests sent on the connection before earlier ones are answered (Modbus TCP allows pipelining; servers
    /// built on libmodbus or pymodbus read one request at a time and leave the rest queued in the socket). A bus
    /// scan puts one request per due block of every board on the wire at once, so this bounds one tick's burst.
    /// </summary>
    public int MaxRequestsInFlight { get; init; } = 256;

    /// <summary>Timed-out transaction ids held back from reuse before the connection is recycled instead.</summary>
    public int MaxAbandonedRequests { get; init; } = 256;
}
