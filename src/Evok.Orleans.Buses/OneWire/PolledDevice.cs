using Evok.Orleans.Hardware.OneWire;

namespace Evok.Orleans.Buses.OneWire;

/// <summary>A device on a 1-Wire bus and when it is read next.</summary>
internal sealed class PolledDevice(string address, OneWireChip chip, TimeSpan interval)
{
    public string Address { get; } = address;

    public OneWireChip Chip { get; } = chip;

    public TimeSpan Interval { get; set; } = interval;

    /// <summary>When it is read next (Stopwatch timestamp); 0 reads it at once.</summary>
    public long Due { get; set; }

    /// <summary>The wait before the next try while it does not answer (Evok: doubling up to 5 minutes); null while it answers.</summary>
    public TimeSpan? LostRetry { get; set; }
}
