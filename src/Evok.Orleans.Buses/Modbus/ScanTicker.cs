using System.Diagnostics;

namespace Evok.Orleans.Buses.Modbus;

/// <summary>
/// The tick of a bus's scan loop, kept by a thread of its own that sleeps until each tick and then runs the loop's
/// next turn itself (the awaiting continuation runs synchronously on it): one thread wake-up per tick. A
/// <see cref="PeriodicTimer"/> costs more at 50 ticks a second: the runtime's timer thread wakes two or three times
/// per tick (its clock is coarse), then hands the turn to a pool thread it must wake too; at 64 boards that was ~1
/// point of a core (issue 16, <c>perf</c> of scenario (b)). Like <see cref="PeriodicTimer"/>, a tick that comes
/// while the loop is busy is kept (at most one) and a late tick does not bunch the following ones.
/// </summary>
internal sealed class ScanTicker : IDisposable
{
    private readonly Lock _gate = new();

    /// <summary>What the thread sleeps on: a shorter period or the end wakes it (<see cref="Monitor.Wait(object, int)"/> needs an object).</summary>
    private readonly object _sleep = new();
    private long _periodTicks;
    private TaskCompletionSource<bool>? _waiter;
    private bool _ticked;
    private volatile bool _disposed;

    public ScanTicker(TimeSpan period, string name)
    {
        Period = period;
        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Time between ticks; a shorter one takes effect at once (the next tick is one new period away at most).</summary>
    public TimeSpan Period
    {
        get => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _periodTicks));
        set
        {
            Volatile.Write(ref _periodTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
            Wake();
        }
    }

    /// <summary>Completes with true at the next tick (at once if one came meanwhile), with false once disposed.</summary>
    public Task<bool> WaitForNextTickAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.FromResult(false);
            }

            if (_ticked)
            {
                _ticked = false;
                return Task.FromResult(true);
            }

            // No RunContinuationsAsynchronously: the loop's next turn runs on this ticker's thread.
            _waiter = new TaskCompletionSource<bool>();
            return _waiter.Task;
        }
    }

    public void Dispose()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            _disposed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(false);
        Wake();
    }

    private void Wake()
    {
        lock (_sleep)
        {
            Monitor.PulseAll(_sleep);
        }
    }

    private void Run()
    {
        var next = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            next += Volatile.Read(ref _periodTicks);
            if (next < now)
            {
                // Late (the loop ran long, or the machine was busy): the next tick is one period from now.
                next = now + Volatile.Read(ref _periodTicks);
            }

            SleepUntil(ref next);
            TaskCompletionSource<bool>? waiter;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                waiter = _waiter;
                _waiter = null;
                _ticked = waiter is null;
            }

            waiter?.TrySetResult(true);
        }
    }

    /// <summary>Sleeps until <paramref name="next"/>, brought forward when the period becomes shorter meanwhile.</summary>
    private void SleepUntil(ref long next)
    {
        var start = Stopwatch.GetTimestamp();
        lock (_sleep)
        {
            while (!_disposed)
            {
                // The period is read under the lock before each wait: a change made before it is seen here, one made
                // after it pulses a thread that already waits. Reading it only after a pulse lost the change made
                // between the caller reading the old period and this wait, and the ticker slept for the old period
                // (a board joining a bus whose first board scans once in 1 000 s was then never scanned again).
                next = Math.Min(next, start + Volatile.Read(ref _periodTicks));
                var remaining = next - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    return;
                }

                // Whole milliseconds, rounded up: a tick is never early, and at most a millisecond late.
                Monitor.Wait(_sleep, (int)Math.Min(int.MaxValue, Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency)));
            }
        }
    }
}
