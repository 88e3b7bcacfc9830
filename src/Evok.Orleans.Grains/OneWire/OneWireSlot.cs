using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.OneWire;

namespace Evok.Orleans.Grains.OneWire;

/// <summary>Everything a 1-Wire bus grain keeps of one device: its chip, its state and where its change sequence stands.</summary>
internal sealed class OneWireSlot(OneWireChip chip, OneWireSensorState state)
{
    public OneWireChip Chip { get; } = chip;

    public string Key => State.Key;

    public OneWireSensorState State { get; set; } = state;

    /// <summary>The number of the device's last published change.</summary>
    public long Sequence { get; set; }

    /// <summary>The bus order of the poll its state comes from: an older poll arriving later is ignored.</summary>
    public long LastReading { get; set; }

    /// <summary>Whether it has been read at all: a device is published from its first read on.</summary>
    public bool Read { get; set; }
}
