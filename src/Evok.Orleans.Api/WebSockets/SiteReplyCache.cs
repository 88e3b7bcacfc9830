using System.Text;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Client;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>
/// The reply to a WebSocket <c>all</c> (every device of the site, UTF-8), shared by every client that asks while
/// nothing changed. Twenty clients asking a thousand times each otherwise built twenty thousand copies of the site
/// (issue 15, row 3: the GC committed 12–25 MB for that garbage); now they share one. A change batch seen by the hub
/// makes the next ask build a new one; so does age, because a few fields (a 1-Wire reading's <c>time</c>) move
/// without a change event.
/// </summary>
internal sealed class SiteReplyCache(EvokDevices devices, TimeProvider time)
{
    private static readonly TimeSpan MaximumAge = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim _building = new(1, 1);
    private long _changes;
    private Reply? _reply;

    /// <summary>Called for every change batch: the cached reply no longer shows the site.</summary>
    public void Changed() => Interlocked.Increment(ref _changes);

    public async Task<byte[]> GetAsync()
    {
        if (Current() is { } current)
        {
            return current;
        }

        // One build at a time: the clients asking meanwhile wait for it instead of building their own.
        await _building.WaitAsync();
        try
        {
            if (Current() is { } built)
            {
                return built;
            }

            var changes = Volatile.Read(ref _changes);
            var taken = time.GetTimestamp();
            var json = Encoding.UTF8.GetBytes(DeviceJson.List(await devices.ListAsync(), devices.JsonStyle));
            Volatile.Write(ref _reply, new Reply(json, changes, taken));
            return json;
        }
        finally
        {
            _building.Release();
        }
    }

    private byte[]? Current() =>
        Volatile.Read(ref _reply) is { } reply && reply.Changes == Volatile.Read(ref _changes) && time.GetElapsedTime(reply.Taken) < MaximumAge
            ? reply.Json
            : null;

    private sealed record Reply(byte[] Json, long Changes, long Taken);
}
