namespace Evok.Orleans.Journal;

/// <summary>How the change journal is kept (config.yaml's <c>storage</c> section).</summary>
public sealed record JournalOptions
{
    /// <summary>The SQLite file; null keeps the journal in memory only (<c>storage: memory</c>).</summary>
    public string? DatabasePath { get; init; }

    /// <summary>
    /// How long changes gather in memory before they are written together (group commit): one write and one fsync per
    /// interval, whatever the rate of changes, and nothing at all while nothing changes. This is the loss window of a
    /// power cut or a <c>kill -9</c>.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>sync: always</c>: every batch is on disk before anyone hears of it (no loss window, one fsync per group of
    /// batches that arrive together).
    /// </summary>
    public bool SyncEveryBatch { get; init; }

    /// <summary>The most changes kept; older ones are deleted (the newest is always kept, so numbering goes on).</summary>
    public long KeepChanges { get; init; } = 500_000;

    /// <summary>How long a change is kept.</summary>
    public TimeSpan KeepAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The newest changes also held in memory, so that live readers (WebSocket sessions that resumed, the webhook
    /// feed) never touch the disk; older ones are read from the file.
    /// </summary>
    public int MemoryChanges { get; init; } = 16_384;
}
