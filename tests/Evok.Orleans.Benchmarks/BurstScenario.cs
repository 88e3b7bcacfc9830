using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Evok.Orleans.Benchmarks;

/// <summary>
/// A burst: every DI and relay of every board changes at once, again and again, until the wanted number of changes
/// has been made; all go to one complex webhook. Reports changes delivered per second from the first change to the
/// last delivery.
/// </summary>
internal static class BurstScenario
{
    public static async Task<string> RunAsync(int boards, int changes)
    {
        await using var site = await BenchmarkSite.StartAsync(boards);
        var receiver = site.Receiver;

        const int PerBoard = 4 + 5;
        var sent = 0;
        var delivered = 0;
        var started = Stopwatch.GetTimestamp();
        long last = started;
        for (var round = 0; sent < changes; round++)
        {
            var on = round % 2 == 0;
            foreach (var board in site.Boards)
            {
                board.SetRegister(0, (ushort)(on ? 0b1111 : 0));
                board.SetRegister(1, (ushort)(on ? 0b11111 : 0));
            }

            sent += boards * PerBoard;

            // Each round waits for its deliveries: changes within one scan period would merge on the board itself.
            var expected = delivered + (boards * PerBoard);
            while (delivered < expected)
            {
                var request = await receiver.NextAsync(TimeSpan.FromSeconds(30));
                delivered += JsonDocument.Parse(request.Body).RootElement.GetArrayLength();
                last = request.ReceivedAt;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started, last).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"burst {boards} boards: changes={sent} delivered={delivered} lost={sent - delivered} in {seconds:0.00}s = {delivered / seconds:0} events/s");
    }
}
