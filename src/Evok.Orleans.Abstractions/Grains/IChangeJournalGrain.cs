using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Orleans.Concurrency;

namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A controller's change journal as client apps read it (key <see cref="Key"/>, one per controller through
/// <see cref="NodeGrains.Journal"/>): the changes after a number, waiting a while for the next ones when there are
/// none yet, so a reader that keeps asking follows the journal live.
/// </summary>
[Alias("evok.IChangeJournalGrain")]
public interface IChangeJournalGrain : IGrainWithStringKey
{
    public const string Key = "journal";

    /// <summary>The longest a read waits for a change before it answers with none.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Up to <paramref name="max"/> changes after <paramref name="after"/> that <paramref name="mask"/> keeps; with none
    /// there yet, waits up to <paramref name="wait"/> (at most <see cref="MaxWait"/>) for one.
    /// </summary>
    [AlwaysInterleave, Alias("ReadAfter")]
    Task<JournalPage> ReadAfterAsync(long after, int max, DeviceMask mask, TimeSpan wait);
}
