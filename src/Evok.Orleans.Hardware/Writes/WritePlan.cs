using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Writes;

/// <summary>
/// What one API write of a circuit does, decided before anything is sent: the Modbus writes in order, the blocks to
/// read back afterwards, and the properties that live beside the registers (a relay's timeout, a counter switched
/// off). Made by <see cref="Create"/>, which validates every assignment first, so a plan exists only for a write
/// that is valid as a whole and a bad assignment leaves the board untouched.
/// </summary>
public sealed record WritePlan(
    ImmutableArray<ModbusWrite> Writes,
    ImmutableArray<int> ReadBackBlocks,
    RelayTimeout? RelayTimeout,
    bool? CounterDisabled)
{
    /// <summary>The longest timed switch of a relay.</summary>
    public static readonly TimeSpan MaxRelayTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// Validates and encodes the assignments in order. Each is encoded against the registers as the writes before
    /// it leave them (an analog output's value after its mode is scaled in the new mode), not as last read.
    /// </summary>
    public static WritePlan Create(BoardMap board, Circuit circuit, ImmutableArray<PropertyAssignment> assignments, RegisterImage registers)
    {
        var isRelay = circuit.Kind is DeviceKind.RelayOutput or DeviceKind.DigitalOutput;
        var value = assignments.LastOrDefault(assignment => assignment.Name == "value");
        var working = registers.Copy();
        var writes = ImmutableArray.CreateBuilder<ModbusWrite>();
        RelayTimeout? timeout = null;
        bool? counterDisabled = null;
        int? remembered = null;
        foreach (var assignment in assignments)
        {
            switch (assignment.Name)
            {
                case "timeout" when isRelay:
                    if (value is null)
                    {
                        throw new DeviceWriteException("timeout", "timeout needs a value to switch to");
                    }

                    var seconds = WriteValue.Number("timeout", assignment.Value, 0.001, MaxRelayTimeout.TotalSeconds);
                    timeout = new RelayTimeout(TimeSpan.FromSeconds(seconds), WriteValue.OnOff("value", value.Value) ? "0" : "1");
                    break;
                case "value" when circuit.Kind is DeviceKind.OwPower or DeviceKind.NvSave:
                    var power = circuit.Feature.Encode(circuit.Index, assignment.Name, assignment.Value, working);
                    writes.AddRange(power);
                    remembered = WriteValue.OnOff(assignment.Name, assignment.Value) ? 1 : 0;
                    break;
                case "counter_mode" when circuit.Kind == DeviceKind.DigitalInput:
                    counterDisabled = WriteValue.Choice(assignment.Name, assignment.Value, DigitalInputState.CounterModes) == "Disabled";
                    break;
                default:
                    foreach (var write in circuit.Feature.Encode(circuit.Index, assignment.Name, assignment.Value, working))
                    {
                        write.ApplyTo(working);
                        writes.Add(write);
                    }

                    break;
            }
        }

        return new WritePlan(writes.ToImmutable(), ReadBackOf(board, circuit, writes), timeout, counterDisabled)
        {
            SwitchesRelay = isRelay && value is not null,
            WrittenValue = remembered,
        };
    }

    /// <summary>A plan that only switches a relay back when its timeout is up.</summary>
    public static WritePlan Revert(BoardMap board, Circuit circuit, string value, RegisterImage registers) =>
        Create(board, circuit, [new PropertyAssignment("value", value)], registers) with { SwitchesRelay = false };

    /// <summary>Whether the plan switches a relay's value, which ends a timed switch still pending.</summary>
    public bool SwitchesRelay { get; init; }

    /// <summary>The value written to a circuit that cannot be read back (owpower), for its state to show.</summary>
    public int? WrittenValue { get; init; }

    /// <summary>Every block holding a written register or one of the circuit's registers.</summary>
    private static ImmutableArray<int> ReadBackOf(BoardMap board, Circuit circuit, IReadOnlyList<ModbusWrite> writes)
    {
        if (writes.Count == 0)
        {
            return [];
        }

        var blocks = ImmutableArray.CreateBuilder<int>();
        for (var index = 0; index < board.Blocks.Length; index++)
        {
            var block = board.Blocks[index];
            // Writes go to holding registers, which lie in the image at their own address.
            var written = block.Kind == RegisterBlockKind.Holding && writes.Any(write => write.Kind != ModbusWriteKind.Coil &&
                write.Address < block.End && write.Address + write.Values.Length > block.Start);
            if (written || circuit.Registers.Any(block.Contains))
            {
                blocks.Add(index);
            }
        }

        return blocks.ToImmutable();
    }
}
