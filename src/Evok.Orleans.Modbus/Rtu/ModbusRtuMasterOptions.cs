using System.IO.Ports;

namespace Evok.Orleans.Modbus.Rtu;

public sealed record ModbusRtuMasterOptions
{
    /// <summary>The serial device, e.g. <c>/dev/ttyNS0</c> or <c>/dev/ttyUSB0</c>.</summary>
    public required string Port { get; init; }

    public int BaudRate { get; init; } = 19200;

    public Parity Parity { get; init; } = Parity.None;

    public StopBits StopBits { get; init; } = StopBits.One;

    /// <summary>How long a slave has to answer one request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// How often a request is sent again after a garbled or missing answer. A slave that did not answer its last
    /// request is not retried: a dead slave costs the line one timeout per try, not (1 + retries).
    /// </summary>
    public int Retries { get; init; } = 1;

    /// <summary>The first wait before opening a port that failed to open again; doubles up to <see cref="MaxReopenDelay"/>.</summary>
    public TimeSpan MinReopenDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReopenDelay { get; init; } = TimeSpan.FromSeconds(5);
}
