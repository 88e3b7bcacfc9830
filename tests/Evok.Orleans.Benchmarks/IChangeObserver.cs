namespace Evok.Orleans.Benchmarks;

/// <summary>
/// A consumer of the silo's changes besides the webhook receiver (an MQTT client, an Orleans client app), timing each
/// change the driver makes from the simulator write to its arrival there.
/// </summary>
internal interface IChangeObserver : IAsyncDisposable
{
    /// <summary>Nothing expected is still on its way.</summary>
    bool IsIdle { get; }

    /// <summary>The change of <paramref name="key"/> (<c>dev:circuit</c>) the driver made last has not arrived yet.</summary>
    bool Pending(string key);

    /// <summary>A change the driver is about to make, its value as the device JSON will show it.</summary>
    void Expect(string key, string value, bool measured);

    LatencySummary Summary(string scenario);
}
