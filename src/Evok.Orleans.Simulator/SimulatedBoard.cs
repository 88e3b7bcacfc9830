using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Features;

namespace Evok.Orleans.Simulator;

/// <summary>
/// One simulated board behind a Modbus unit id. Like the hardware, writing the coil of a relay, DO or LED sets its
/// bit in the value register; every register is writable; inputs are driven by the methods below.
/// </summary>
public sealed class SimulatedBoard
{
    private const int AddressSpace = ushort.MaxValue + 1;
    private readonly ushort[] _registers = new ushort[AddressSpace];
    private readonly bool[] _coils = new bool[AddressSpace];
    private readonly Dictionary<int, (int Register, int Bit)> _coilBits = [];
    private readonly Lock _gate = new();

    public SimulatedBoard(byte unitId, BoardDefinition definition)
    {
        UnitId = unitId;
        Definition = definition;
        foreach (var feature in definition.Features)
        {
            switch (feature)
            {
                case RelayFeature relay:
                    MapCoils(relay.ValueCoil, relay.ValueRegister, relay.Count);
                    if (relay.Pwm is HardwarePwm pwm)
                    {
                        // A factory-fresh brain board runs its PWM at 4800 Hz (cycle 9999, prescale 0); one with
                        // software PWM at its 1000 Hz preset (0), as all-zero registers already say.
                        _registers[pwm.CycleRegister] = 9999;
                    }

                    break;
                case LedFeature led:
                    MapCoils(led.ValueCoil, led.ValueRegister, led.Count);
                    break;
            }
        }
    }

    public byte UnitId { get; }

    public BoardDefinition Definition { get; }

    /// <summary>When set, requests to this unit get no answer at all, like a board that lost power.</summary>
    public bool Offline { get; set; }

    /// <summary>
    /// When set, requests to this unit are answered with exception 0x0B (gateway target device failed to respond), as
    /// by a Modbus TCP gateway whose RS485 slave does not answer.
    /// </summary>
    public bool GatewayFails { get; set; }

    public ushort GetRegister(int address)
    {
        lock (_gate)
        {
            return _registers[address];
        }
    }

    public void SetRegister(int address, ushort value)
    {
        lock (_gate)
        {
            _registers[address] = value;
        }
    }

    public void SetRegisterBit(int address, int bit, bool on)
    {
        lock (_gate)
        {
            _registers[address] = (ushort)(on ? _registers[address] | (1 << bit) : _registers[address] & ~(1 << bit));
        }
    }

    /// <summary>Stores a float32 the way Unipi boards do: low word at <paramref name="address"/>, high word after it.</summary>
    public void SetFloat(int address, float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        lock (_gate)
        {
            _registers[address] = (ushort)(bits & 0xFFFF);
            _registers[address + 1] = (ushort)((bits >> 16) & 0xFFFF);
        }
    }

    public bool GetCoil(int address)
    {
        lock (_gate)
        {
            return ReadCoil(address);
        }
    }

    /// <summary>Drives digital input <paramref name="number"/> (1-based, as in circuit names).</summary>
    public void SetDigitalInput(int number, bool on)
    {
        var (feature, index) = Find<DigitalInputFeature>(number);
        SetRegisterBit(feature.ValueRegister + (index / 16), index % 16, on);
    }

    public void SetCounter(int number, uint value)
    {
        var (feature, index) = Find<DigitalInputFeature>(number);
        var register = feature.CounterRegister ?? throw new InvalidOperationException("this board's inputs have no counters");
        lock (_gate)
        {
            _registers[register + (2 * index)] = (ushort)(value & 0xFFFF);
            _registers[register + (2 * index) + 1] = (ushort)(value >> 16);
        }
    }

    public void SetAnalogInput(int number, float value)
    {
        var (feature, index) = Find<AnalogInputFeature>(number);
        SetFloat(feature.ValueRegister + (2 * index), value);
    }

    internal void ReadRegisters(int start, Span<ushort> destination)
    {
        lock (_gate)
        {
            _registers.AsSpan(start, destination.Length).CopyTo(destination);
        }
    }

    internal void WriteRegisters(int start, ReadOnlySpan<ushort> values)
    {
        lock (_gate)
        {
            values.CopyTo(_registers.AsSpan(start));
        }
    }

    internal void ReadCoils(int start, Span<bool> destination)
    {
        lock (_gate)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = ReadCoil(start + i);
            }
        }
    }

    /// <summary>Sets a coil as a Modbus write would: a relay, DO or LED coil switches its bit in the value register.</summary>
    public void SetCoil(int address, bool on)
    {
        lock (_gate)
        {
            if (_coilBits.TryGetValue(address, out var target))
            {
                var register = _registers[target.Register];
                _registers[target.Register] = (ushort)(on ? register | (1 << target.Bit) : register & ~(1 << target.Bit));
            }
            else
            {
                _coils[address] = on;
            }
        }
    }

    private bool ReadCoil(int address) =>
        _coilBits.TryGetValue(address, out var target)
            ? ((_registers[target.Register] >> target.Bit) & 1) == 1
            : _coils[address];

    private void MapCoils(int firstCoil, int valueRegister, int count)
    {
        for (var index = 0; index < count; index++)
        {
            _coilBits[firstCoil + index] = (valueRegister + (index / 16), index % 16);
        }
    }

    private (T Feature, int Index) Find<T>(int number)
        where T : Feature
    {
        var remaining = number - 1;
        foreach (var feature in Definition.Features.OfType<T>())
        {
            if (remaining < feature.Count)
            {
                return (feature, remaining);
            }

            remaining -= feature.Count;
        }

        throw new ArgumentOutOfRangeException(nameof(number), number, $"model {Definition.Model} has no {typeof(T).Name} number {number}");
    }
}
