namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Where the silo keeps what must survive a restart: the change journal and the webhook outboxes' place in it
/// (<c>sqlite</c>, the default: one SQLite file in the state directory), the outboxes in Redis (<c>redis</c>, for a
/// site that runs one; the journal stays in the file), or nothing (<c>memory</c>). Configured by a <c>storage</c>
/// section that Evok itself ignores.
/// </summary>
public sealed record StorageConfiguration(string Kind, string? ConnectionString)
{
    /// <summary>The journal's file name in the state directory (next to config.yaml, or <c>--state-dir</c>).</summary>
    public const string JournalFileName = "evok-orleans.db";

    public static StorageConfiguration Memory { get; } = new("memory", null);

    /// <summary>The default: the file is placed by <see cref="InDirectory"/> once the state directory is known.</summary>
    public static StorageConfiguration Sqlite { get; } = new("sqlite", null);

    public bool IsRedis => Kind == "redis";

    /// <summary>The journal's SQLite file; null keeps the journal in memory (<c>memory</c>, or a site without a folder).</summary>
    public string? JournalFile { get; init; }

    /// <summary>How long changes gather before they are written together: the loss window of a power cut.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>sync: always</c>: every batch is on disk before it is delivered (no loss window).</summary>
    public bool SyncAlways { get; init; }

    /// <summary>The most changes the journal keeps (<c>journal_changes</c>).</summary>
    public long KeepChanges { get; init; } = 500_000;

    /// <summary>How long the journal keeps a change (<c>journal_days</c>).</summary>
    public TimeSpan KeepAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>This storage with its journal file in <paramref name="directory"/> (none for <c>memory</c>).</summary>
    public StorageConfiguration InDirectory(string directory) =>
        Kind == "memory" ? this : this with { JournalFile = Path.Combine(Path.GetFullPath(directory), JournalFileName) };
}
