using Evok.Orleans.Abstractions.Devices;

namespace Evok.Orleans.Grains.Polling;

/// <summary>What a circuit's state shows beyond its registers: its alias, a pending timed switch, a disabled counter.</summary>
internal sealed class CircuitOverlay
{
    public string? Alias { get; set; }

    /// <summary>A relay switched with a timeout, until it switches back.</summary>
    public bool Pending { get; set; }

    public bool CounterDisabled { get; set; }

    public IGrainTimer? Revert { get; set; }

    public DeviceState Apply(DeviceState state)
    {
        if (Pending && state is RelayState relay)
        {
            state = relay with { Pending = true };
        }

        if (CounterDisabled && state is DigitalInputState input)
        {
            state = input with { CounterMode = "Disabled" };
        }

        return Alias is null ? state : state with { Alias = Alias };
    }
}
