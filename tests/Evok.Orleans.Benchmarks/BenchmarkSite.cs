using System.Text.Json;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// What every scenario stands on: N model-13 boards behind one simulated Modbus TCP server, a real webhook receiver,
/// and the silo in its own process, started and past its first scan of every board.
/// </summary>
internal sealed class BenchmarkSite : IAsyncDisposable
{
    private BenchmarkSite(List<SimulatedBoard> boards, ModbusTcpSimulator simulator, WebhookReceiver receiver, SiloProcess silo)
    {
        Boards = boards;
        Simulator = simulator;
        Receiver = receiver;
        Silo = silo;
    }

    public List<SimulatedBoard> Boards { get; }

    public ModbusTcpSimulator Simulator { get; }

    public WebhookReceiver Receiver { get; }

    public SiloProcess Silo { get; }

    /// <summary>Starts everything and waits until the receiver got each board's first (full) batch.</summary>
    public static async Task<BenchmarkSite> StartAsync(int boards, SiloSettings? settings = null)
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        var simulated = Enumerable.Range(1, boards).Select(unit => new SimulatedBoard((byte)unit, model)).ToList();
        var simulator = new ModbusTcpSimulator(simulated);
        simulator.Start();
        var receiver = await WebhookReceiver.StartAsync();
        settings ??= SiloSettings.AsShipped;
        var silo = await SiloProcess.StartAsync(
            apiPort => SiteScenario.Config(simulator.Port, boards, receiver.Address, apiPort, settings), settings.Environment, settings.Program);
        var site = new BenchmarkSite(simulated, simulator, receiver, silo);
        await WaitForInitialStatesAsync(receiver, boards);
        return site;
    }

    /// <summary>
    /// Reads requests until every board's initial state is in; the outbox joins batches that wait into one request,
    /// so boards are counted by their <c>glob_dev_id</c>, not by requests. Returns when the first request came.
    /// </summary>
    public static async Task<long> WaitForInitialStatesAsync(WebhookReceiver receiver, int boards)
    {
        var synced = new HashSet<long>();
        long first = 0;
        while (synced.Count < boards)
        {
            var request = await receiver.NextAsync(TimeSpan.FromSeconds(60));
            first = first == 0 ? request.ReceivedAt : first;
            using var body = JsonDocument.Parse(request.Body);
            synced.UnionWith(body.RootElement.EnumerateArray().Select(device => device.GetProperty("glob_dev_id").GetInt64()));
        }

        return first;
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Receiver.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
