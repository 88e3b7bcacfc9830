namespace Evok.Orleans.Simulator;

/// <summary>
/// Makes the built-in simulated Neuron move a little by itself, so that a first run shows live changes at once on
/// the dashboard, the WebSocket and a <c>--webhook</c> receiver: digital input 2_01 toggles every 3 s, analog input
/// 2_01 drifts slowly around 5 V (a minute-long sine, a step every second). Tests keep the simulator still.
/// </summary>
public static class SimulatedSiteMotion
{
    public static async Task RunAsync(ModbusTcpSimulator neuron, CancellationToken stopping)
    {
        var extension = neuron[2];
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var second = 1L; await WaitAsync(timer, stopping); second++)
        {
            if (second % 3 == 0)
            {
                extension.SetDigitalInput(1, second % 6 == 0);
            }

            // Rounded to millivolts: what a real input's noise would not hide either.
            extension.SetAnalogInput(1, MathF.Round(5f + (2f * MathF.Sin(2 * MathF.PI * second / 60)), 3));
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
