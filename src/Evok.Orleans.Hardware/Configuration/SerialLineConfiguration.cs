using System.IO.Ports;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// An RS485 line (Evok's MODBUSRTU channel keys, plus <see cref="Timeout"/> and <see cref="Retries"/>, which Evok
/// passes to pymodbus but never applies: it waits 3 s and tries once).
/// </summary>
public sealed record SerialLineConfiguration(string Port, int BaudRate, Parity Parity, StopBits StopBits)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(0.5);

    public const int DefaultRetries = 1;

    /// <summary>How long a slave has to answer one request.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How often a request is sent again after a garbled or missing answer from a slave that answered before.</summary>
    public int Retries { get; init; } = DefaultRetries;
}
