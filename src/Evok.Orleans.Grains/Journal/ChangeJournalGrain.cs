using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Grains.Placement;
using Evok.Orleans.Journal;

namespace Evok.Orleans.Grains.Journal;

/// <summary>
/// Reads this controller's <see cref="ChangeJournal"/> for client apps. It keeps nothing of its own, so reads of many
/// clients interleave; it lives on the controller whose journal it reads.
/// </summary>
[NodePlacement]
internal sealed class ChangeJournalGrain(ChangeJournal journal) : Grain, IChangeJournalGrain
{
    public async Task<JournalPage> ReadAfterAsync(long after, int max, DeviceMask mask, TimeSpan wait)
    {
        var last = journal.LastSeq;
        if (after > last)
        {
            // A number from a journal that is no more (its file removed, or storage: memory across a restart).
            return new JournalPage([], last, Gap: true);
        }

        if (after == last)
        {
            using var timeout = new CancellationTokenSource(wait < IChangeJournalGrain.MaxWait ? wait : IChangeJournalGrain.MaxWait);
            try
            {
                await journal.WaitAfterAsync(after, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new JournalPage([], after, Gap: false);
            }
        }

        var entries = await journal.ReadAfterAsync(after, Math.Clamp(max, 1, 4096));
        if (entries.Count == 0)
        {
            return new JournalPage([], after, Gap: false);
        }

        // 0 asks for whatever the journal holds: nothing is missing before its oldest change.
        var gap = after > 0 && entries[0].Seq > after + 1;
        return new JournalPage([.. entries.Where(entry => mask.Contains(entry.Kind))], entries[^1].Seq, gap);
    }
}
