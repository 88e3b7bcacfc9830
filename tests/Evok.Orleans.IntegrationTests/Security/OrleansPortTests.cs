using System.Globalization;
using System.Net;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary>
/// A single-controller silo keeps Orleans' silo and gateway ports on loopback, even with the API on every interface:
/// nothing on the network can join the cluster or call grains directly. Read from the kernel's socket tables.
/// </summary>
public sealed class OrleansPortTests
{
    [Fact]
    public async Task The_silo_and_gateway_ports_listen_on_loopback_only_while_the_api_listens_where_configured()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var (apiPort, siloPort, gatewayPort) = (FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next());
        var configuration = Hardware.Configuration.SiteConfigurationLoader.Parse("ports.yaml", $$"""
            apis: {port: {{apiPort}}, address: "", auth: none}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog());
        await using var silo = await TestSilo.StartAsync(configuration, siloPort: siloPort, gatewayPort: gatewayPort);

        var listening = ListeningSockets();
        Assert.All(listening.Where(socket => socket.Port == siloPort || socket.Port == gatewayPort), socket => Assert.True(IPAddress.IsLoopback(socket.Address), $"{socket.Address}:{socket.Port} is not loopback"));
        Assert.Contains(listening, socket => socket.Port == siloPort);
        Assert.Contains(listening, socket => socket.Port == gatewayPort);
        Assert.Contains(listening, socket => socket.Port == apiPort && !IPAddress.IsLoopback(socket.Address));
        await silo.StopAsync();
    }

    /// <summary>Every TCP socket in LISTEN state, from /proc/net/tcp and tcp6 (addresses in the kernel's byte order).</summary>
    private static List<(IPAddress Address, int Port)> ListeningSockets()
    {
        var sockets = new List<(IPAddress, int)>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] != "0A")
                {
                    continue;
                }

                var (hex, port) = (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                var bytes = Convert.FromHexString(hex);
                for (var word = 0; word < bytes.Length; word += 4)
                {
                    Array.Reverse(bytes, word, 4);
                }

                sockets.Add((new IPAddress(bytes), port));
            }
        }

        return sockets;
    }
}
