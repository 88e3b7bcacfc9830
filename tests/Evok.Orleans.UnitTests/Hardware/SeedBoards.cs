using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.UnitTests.Hardware;

/// <summary>The seed document's site: device "1" (model 00, glob_dev_id 2) and device "2" (model 13, glob_dev_id 3).</summary>
internal sealed class SeedBoards
{
    private const string Config = """
        comm_channels:
          local:
            type: MODBUSTCP
            devices:
              "1": {slave-id: 1, model: "00"}
              "2": {slave-id: 2, model: "13"}
        """;

    public SeedBoards()
    {
        Site = new SiteMap(SiteConfigurationLoader.Parse("seed.yaml", Config, new HardwareDefinitionCatalog()));
        Brain = Site.FindBoard("1")!;
        Extension = Site.FindBoard("2")!;
        BrainRegisters = Brain.CreateImage();
        ExtensionRegisters = Extension.CreateImage();
    }

    public SiteMap Site { get; }

    public BoardMap Brain { get; }

    public BoardMap Extension { get; }

    public RegisterImage BrainRegisters { get; }

    public RegisterImage ExtensionRegisters { get; }

    public DeviceState Decode(string key)
    {
        var (board, circuit) = Site.FindCircuit(key) ?? throw new KeyNotFoundException(key);
        return circuit.Decode(board == Brain ? BrainRegisters : ExtensionRegisters, board.Device.GlobalDeviceId);
    }

    public void SetFloat(RegisterImage registers, int address, float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        registers[address] = (ushort)(bits & 0xFFFF);
        registers[address + 1] = (ushort)(bits >> 16);
    }
}
