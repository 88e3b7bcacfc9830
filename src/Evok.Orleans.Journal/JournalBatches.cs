using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Events;

namespace Evok.Orleans.Journal;

/// <summary>Gives journal entries back as the batches they were published in.</summary>
public static class JournalBatches
{
    /// <summary>Consecutive entries of one batch, in order (a read may end inside a batch: its rest comes with the next read).</summary>
    public static IEnumerable<ImmutableArray<JournalEntry>> Split(IReadOnlyList<JournalEntry> entries)
    {
        var start = 0;
        for (var i = 1; i <= entries.Count; i++)
        {
            if (i == entries.Count || entries[i].Batch != entries[start].Batch)
            {
                yield return [.. entries.Skip(start).Take(i - start)];
                start = i;
            }
        }
    }
}
