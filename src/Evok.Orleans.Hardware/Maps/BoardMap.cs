using System.Collections.Frozen;
using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;

namespace Evok.Orleans.Hardware.Maps;

/// <summary>
/// A configured Modbus device with its circuits named and indexed: which circuits each register feeds, so a scan
/// decodes only what changed.
/// </summary>
public sealed class BoardMap
{
    private readonly ImmutableArray<int>[] _circuitsByRegister;
    private readonly FrozenDictionary<string, Circuit> _circuitsByKey;

    public BoardMap(ModbusDeviceConfiguration device)
    {
        Device = device;
        var circuits = ImmutableArray.CreateBuilder<Circuit>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var feature in device.Board.Features)
        {
            var prefix = DeviceTypeNames.KeyPrefix(feature.Kind);
            for (var index = 0; index < feature.Count; index++)
            {
                var number = numbers[prefix] = numbers.GetValueOrDefault(prefix) + 1;
                var name = feature.CircuitName(device.Name, index, number);
                circuits.Add(new Circuit(
                    circuits.Count,
                    name,
                    DeviceTypeNames.CircuitKey(feature.Kind, name),
                    feature,
                    index,
                    [.. feature.RegistersOf(index).Distinct()]));
            }
        }

        Circuits = circuits.ToImmutable();
        _circuitsByKey = Circuits.ToFrozenDictionary(c => c.Key, StringComparer.Ordinal);
        ImageSize = Blocks.Max(block => block.ImageEnd);

        var dependents = new List<int>?[ImageSize];
        foreach (var circuit in Circuits)
        {
            foreach (var register in circuit.Registers)
            {
                (dependents[register] ??= []).Add(circuit.Ordinal);
            }
        }

        _circuitsByRegister = [.. dependents.Select(list => list is null ? ImmutableArray<int>.Empty : [.. list])];
    }

    public ModbusDeviceConfiguration Device { get; }

    public string Name => Device.Name;

    public ImmutableArray<RegisterBlock> Blocks => Device.Board.Blocks;

    public ImmutableArray<Circuit> Circuits { get; }

    /// <summary>One past the highest place of the image any block fills.</summary>
    public int ImageSize { get; }

    public RegisterImage CreateImage() => new(ImageSize);

    /// <summary>Ordinals of the circuits decoded from a register.</summary>
    public ImmutableArray<int> CircuitsUsing(int register) => _circuitsByRegister[register];

    public Circuit? FindCircuit(string key) => _circuitsByKey.GetValueOrDefault(key);
}
