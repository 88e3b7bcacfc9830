using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Polling;

/// <summary>
/// Everything a poller keeps of one circuit: its last published state and sequence number, whether its registers
/// changed since, and what its state shows beyond its registers (alias, a pending timed switch, a disabled counter, a
/// command coil's last value).
/// </summary>
internal sealed class CircuitSlot(Circuit circuit)
{
    public Circuit Circuit { get; } = circuit;

    /// <summary>The state last published; null until the board was read.</summary>
    public DeviceState? State { get; set; }

    /// <summary>The number of the circuit's last published change.</summary>
    public long Sequence { get; set; }

    /// <summary>Its registers or overlay changed since it was last decoded.</summary>
    public bool Dirty { get; set; } = true;

    public string? Alias { get; set; }

    /// <summary>A relay switched with a timeout, until it switches back.</summary>
    public bool Pending { get; set; }

    public bool CounterDisabled { get; set; }

    /// <summary>What was last written to a circuit the board cannot report (owpower).</summary>
    public int? WrittenValue { get; set; }

    /// <summary>The timer that switches a relay back when its timeout is up.</summary>
    public IGrainTimer? Revert { get; set; }

    public void CancelRevert()
    {
        Revert?.Dispose();
        Revert = null;
        Pending = false;
    }

    /// <summary>The circuit's state: decoded from the registers, with what the registers do not hold laid over it.</summary>
    public DeviceState Decode(RegisterImage registers, int globalDeviceId)
    {
        var state = Circuit.Decode(registers, globalDeviceId);
        if (Pending && state is RelayState relay)
        {
            state = relay with { Pending = true };
        }

        if (CounterDisabled && state is DigitalInputState input)
        {
            state = input with { CounterMode = "Disabled" };
        }

        if (WrittenValue is { } written && state is CoilState coil)
        {
            state = coil with { Value = written };
        }

        return Alias is null ? state : state with { Alias = Alias };
    }
}
