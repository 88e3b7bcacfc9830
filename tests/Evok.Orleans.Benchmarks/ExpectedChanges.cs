using System.Collections.Concurrent;
using System.Diagnostics;

namespace Evok.Orleans.Benchmarks;

/// <summary>The bookkeeping of an <see cref="IChangeObserver"/>: what the driver changed, and the delays of what arrived.</summary>
internal sealed class ExpectedChanges
{
    private readonly ConcurrentDictionary<string, (long Started, string Expected, bool Measured)> _pending = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private int _expected;

    public bool IsIdle => _pending.IsEmpty;

    public bool Pending(string key) => _pending.ContainsKey(key);

    public void Expect(string key, string value, bool measured)
    {
        _pending[key] = (Stopwatch.GetTimestamp(), value, measured);
        if (measured)
        {
            Interlocked.Increment(ref _expected);
        }
    }

    /// <summary>A state of <paramref name="key"/> with <paramref name="value"/> arrived at <paramref name="arrived"/> (a timestamp).</summary>
    public void Arrived(string key, string value, long arrived)
    {
        if (_pending.TryGetValue(key, out var change) && change.Expected == value && _pending.TryRemove(key, out _) && change.Measured)
        {
            _latencies.Add(Stopwatch.GetElapsedTime(change.Started, arrived).TotalMilliseconds);
        }
    }

    public LatencySummary Summary(string scenario) => new(scenario, _expected, _latencies.Count, 0, [.. _latencies]);
}
