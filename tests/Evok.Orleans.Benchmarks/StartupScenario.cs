using System.Diagnostics;
using System.Globalization;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// Issue 16, start-up: from launching the silo program (as shipped) to <c>/rest/all</c> answering, to the first
/// webhook of the initial state, and to every board's initial state delivered.
/// </summary>
internal static class StartupScenario
{
    public static async Task<string> RunAsync(int boards, SiloSettings settings)
    {
        var model = new HardwareDefinitionCatalog().Find("13")!;
        await using var simulator = new ModbusTcpSimulator(Enumerable.Range(1, boards).Select(unit => new SimulatedBoard((byte)unit, model)));
        simulator.Start();
        await using var receiver = await WebhookReceiver.StartAsync();
        TimeSpan? restAll = null;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var polling = Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        await using var silo = await SiloProcess.StartAsync(apiPort =>
        {
            started = Stopwatch.GetTimestamp();
            polling = Task.Run(async () => restAll = await FirstAnswerAsync(apiPort, started, stop.Token));
            return SiteScenario.Config(simulator.Port, boards, receiver.Address, apiPort, settings);
        }, settings.Environment, settings.Program);
        var firstWebhook = Stopwatch.GetElapsedTime(started, await BenchmarkSite.WaitForInitialStatesAsync(receiver, boards));
        var everyBoard = Stopwatch.GetElapsedTime(started);
        var cpu = silo.CpuTime;
        await polling;
        return string.Create(CultureInfo.InvariantCulture,
            $"startup {boards} boards: /rest/all answers after {restAll?.TotalSeconds:0.00}s, first webhook {firstWebhook.TotalSeconds:0.00}s, every board's initial state {everyBoard.TotalSeconds:0.00}s (from launching the program), cpu until then {cpu.TotalSeconds:0.00}s");
    }

    private static async Task<TimeSpan> FirstAnswerAsync(int apiPort, long started, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("rest/all", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10, cancellationToken);
        }
    }
}
