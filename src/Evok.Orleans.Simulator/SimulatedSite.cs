using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;

namespace Evok.Orleans.Simulator;

/// <summary>
/// The embedded default: a Neuron with a brain board (model 00, device "1", unit 1) and an extension section
/// (model 13, device "2", unit 2) served on loopback, with the config.yaml that polls it.
/// </summary>
public static class SimulatedSite
{
    public static ModbusTcpSimulator CreateNeuron(int port = 0)
    {
        var catalog = new HardwareDefinitionCatalog();
        return new ModbusTcpSimulator(
            [new SimulatedBoard(1, catalog.Find("00")!), new SimulatedBoard(2, catalog.Find("13")!)], port: port);
    }

    /// <summary>An Evok config.yaml that polls the Neuron served by <paramref name="simulator"/>.</summary>
    public static string NeuronConfigYaml(ModbusTcpSimulator simulator, double scanFrequency = 50) => $"""
        comm_channels:
          simulator:
            type: MODBUSTCP
            hostname: 127.0.0.1
            port: {simulator.Port}
            devices:
              "1":
                slave-id: 1
                model: "00"
                scan_frequency: {scanFrequency.ToString(System.Globalization.CultureInfo.InvariantCulture)}
              "2":
                slave-id: 2
                model: "13"
                scan_frequency: {scanFrequency.ToString(System.Globalization.CultureInfo.InvariantCulture)}
        """;

    public static SiteConfiguration NeuronConfiguration(ModbusTcpSimulator simulator, double scanFrequency = 50) =>
        SiteConfigurationLoader.Parse("builtin:simulator.yaml", NeuronConfigYaml(simulator, scanFrequency), new HardwareDefinitionCatalog());
}
