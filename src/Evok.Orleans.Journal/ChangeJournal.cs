using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Journal;

/// <summary>
/// The controller's change journal: numbers every change it publishes, keeps the newest in memory for live readers
/// and writes them to its SQLite file in groups (<see cref="JournalOptions.CommitInterval"/>), together with the
/// webhook outboxes' cursors. A file that cannot be opened or written (corrupt, read-only, disk full) is said once in
/// the log and in <see cref="Problem"/>; numbering, live readers and delivery go on from memory.
/// </summary>
public sealed partial class ChangeJournal : IAsyncDisposable
{
    /// <summary>Evicting the memory span one entry at a time would move the whole list on every change.</summary>
    private const int EvictionChunk = 1024;

    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(1);

    private readonly JournalOptions _options;
    private readonly ILogger<ChangeJournal> _logger;
    private readonly Lock _gate = new();
    private readonly List<JournalEntry> _recent = [];
    private readonly Dictionary<string, OutboxCursor> _cursors = new(StringComparer.Ordinal);
    private readonly List<(long Seq, TaskCompletionSource Durable)> _durableWaiters = [];
    private readonly SemaphoreSlim _commitNow = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _committing;
    private readonly JournalDatabase? _database;
    private List<JournalEntry> _unwritten = [];
    private Dictionary<string, OutboxCursor> _unwrittenCursors = new(StringComparer.Ordinal);
    private TaskCompletionSource _appended = NewSignal();
    private long _last;
    private long _oldestOnDisk;
    private long _written;

    public ChangeJournal(JournalOptions options, ILogger<ChangeJournal> logger)
    {
        _options = options;
        _logger = logger;
        if (options.DatabasePath is { } path)
        {
            try
            {
                _database = JournalDatabase.Open(path);
                (_oldestOnDisk, _last) = _database.Span();
                _written = _last;
                foreach (var (webhook, cursor) in _database.Cursors())
                {
                    _cursors[webhook] = cursor;
                }

                LogOpened(path, _last, _oldestOnDisk);
            }
            catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
            {
                _database?.Dispose();
                _database = null;
                Problem = $"the journal file {path} cannot be used ({exception.Message}); changes are kept in memory only, nothing survives a restart";
                LogUnusable(path, exception.Message);
            }
        }

        _committing = Task.Run(CommitLoopAsync);
    }

    /// <summary>Why the journal is not on disk as configured; null while it is (or is meant to be in memory only).</summary>
    public string? Problem { get; private set; }

    /// <summary>Whether what is appended survives a restart (a file is open).</summary>
    public bool IsDurable => _database is not null;

    /// <summary>The number of the newest change; 0 before the first.</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>The number of the oldest change still kept (on disk or in memory); 0 when there is none.</summary>
    public long OldestSeq
    {
        get
        {
            lock (_gate)
            {
                return OldestKept();
            }
        }
    }

    /// <summary>
    /// Numbers a batch's changes and keeps them; gives the batch back with each change's <see cref="DeviceChanged.Seq"/>
    /// set. Completes at once, or with <c>sync: always</c> once they are on disk (or the disk has failed: live
    /// delivery never waits for a broken store).
    /// </summary>
    public ValueTask<DeviceChangeBatch> AppendAsync(DeviceChangeBatch batch)
    {
        if (batch.Changes.IsDefaultOrEmpty)
        {
            return ValueTask.FromResult(batch);
        }

        TaskCompletionSource appended;
        TaskCompletionSource? durable = null;
        var numbered = ImmutableArray.CreateBuilder<DeviceChanged>(batch.Changes.Length);
        lock (_gate)
        {
            var first = _last + 1;
            foreach (var change in batch.Changes)
            {
                var entry = new JournalEntry(++_last, first, change.Timestamp, change.Kind, change.Key, change.Sequence, change.Json);
                numbered.Add(change with { Seq = entry.Seq });
                _recent.Add(entry);
                if (_database is not null)
                {
                    _unwritten.Add(entry);
                }
            }

            Evict();
            appended = _appended;
            _appended = NewSignal();
            if (_options.SyncEveryBatch && _database is not null)
            {
                durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _durableWaiters.Add((_last, durable));
            }
        }

        appended.TrySetResult();
        var result = batch with { Changes = numbered.MoveToImmutable() };
        if (durable is null)
        {
            return ValueTask.FromResult(result);
        }

        _commitNow.Release();
        return WhenDurableAsync(durable.Task, result);
    }

    private static async ValueTask<DeviceChangeBatch> WhenDurableAsync(Task durable, DeviceChangeBatch batch)
    {
        await durable;
        return batch;
    }

    /// <summary>Completes when a change after <paramref name="after"/> has been appended.</summary>
    public Task WaitAfterAsync(long after, CancellationToken cancellationToken)
    {
        Task appended;
        lock (_gate)
        {
            if (_last > after)
            {
                return Task.CompletedTask;
            }

            appended = _appended.Task;
        }

        return appended.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> changes after <paramref name="after"/>, in order: from memory when they are still
    /// there, else from the file. A reader compares the first number with the one it asked for: a change that has
    /// left the journal is not there.
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadAfterAsync(long after, int max)
    {
        lock (_gate)
        {
            if (after >= _last)
            {
                return [];
            }

            if (_database is null || (_recent.Count > 0 && after + 1 >= _recent[0].Seq))
            {
                return Recent(after, max);
            }
        }

        // SQLite's reads are synchronous: off the caller's thread, which may be a grain's. The file ends where the
        // memory span goes on (only what is written leaves memory), so what is not written yet follows from there.
        var database = _database;
        var stored = await Task.Run(() => database.ReadAfter(after, max));
        lock (_gate)
        {
            stored.AddRange(Recent(stored.Count > 0 ? stored[^1].Seq : after, max - stored.Count));
        }

        return stored;
    }

    /// <summary>Up to <paramref name="max"/> of the memory span after <paramref name="after"/>; under the lock.</summary>
    private List<JournalEntry> Recent(long after, int max)
    {
        if (_recent.Count == 0 || max <= 0)
        {
            return [];
        }

        var start = (int)Math.Clamp(after + 1 - _recent[0].Seq, 0, _recent.Count);
        return _recent.GetRange(start, Math.Min(max, _recent.Count - start));
    }

    /// <summary>A circuit's changes between two times, oldest first; the newest <paramref name="limit"/> of them.</summary>
    public async Task<IReadOnlyList<JournalEntry>> HistoryAsync(string key, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        List<JournalEntry> unwritten;
        long written;
        lock (_gate)
        {
            written = _database is null ? 0 : _written;
            unwritten = [.. _recent.Where(entry => entry.Seq > written && entry.Key == key && entry.Time >= from && entry.Time <= to)];
        }

        var database = _database;
        var stored = database is null ? [] : await Task.Run(() => database.History(key, from, to, limit));
        stored.AddRange(unwritten.Where(entry => stored.Count == 0 || entry.Seq > stored[^1].Seq));
        return stored.Count > limit ? stored.GetRange(stored.Count - limit, limit) : stored;
    }

    /// <summary>The cursor a webhook's outbox saved last; null for one that never saved.</summary>
    public OutboxCursor? CursorOf(string webhook)
    {
        lock (_gate)
        {
            return _cursors.GetValueOrDefault(webhook);
        }
    }

    /// <summary>Keeps an outbox's cursor; it is written with the next group commit (the newest one per webhook).</summary>
    public void SaveCursor(OutboxCursor cursor)
    {
        lock (_gate)
        {
            _cursors[cursor.Webhook] = cursor;
            if (_database is not null)
            {
                _unwrittenCursors[cursor.Webhook] = cursor;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _committing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _database?.Dispose();
        _stopping.Dispose();
        _commitNow.Dispose();
    }

    private async Task CommitLoopAsync()
    {
        var trimmed = DateTimeOffset.UtcNow;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (_options.SyncEveryBatch)
                {
                    await _commitNow.WaitAsync(_stopping.Token);
                }
                else
                {
                    await Task.Delay(_options.CommitInterval, _stopping.Token);
                }

                Commit();
                if (DateTimeOffset.UtcNow - trimmed >= TrimEvery)
                {
                    trimmed = DateTimeOffset.UtcNow;
                    Trim();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: what waits is written below.
        }

        Commit();
    }

    private void Commit()
    {
        List<JournalEntry> entries;
        Dictionary<string, OutboxCursor> cursors;
        lock (_gate)
        {
            if (_database is null || (_unwritten.Count == 0 && _unwrittenCursors.Count == 0))
            {
                CompleteDurableWaiters(long.MaxValue);
                return;
            }

            entries = _unwritten;
            cursors = _unwrittenCursors;
            _unwritten = [];
            _unwrittenCursors = new(StringComparer.Ordinal);
        }

        try
        {
            _database.Write(entries, cursors.Values);
            lock (_gate)
            {
                if (entries.Count > 0)
                {
                    _written = entries[^1].Seq;
                    _oldestOnDisk = _oldestOnDisk == 0 ? entries[0].Seq : _oldestOnDisk;
                }

                Evict();
                CompleteDurableWaiters(_written);
                if (Problem is not null)
                {
                    Problem = null;
                    LogWritingAgain(_options.DatabasePath!);
                }
            }
        }
        catch (SqliteException exception)
        {
            lock (_gate)
            {
                // Kept for the next commit (the disk may get room again), as far as memory allows: beyond that the
                // oldest unwritten changes are given up, in memory only.
                entries.AddRange(_unwritten);
                _unwritten = entries.Count > _options.MemoryChanges ? entries.GetRange(entries.Count - _options.MemoryChanges, _options.MemoryChanges) : entries;

                // What is given up may leave memory too: the memory span stays bounded however long the disk fails.
                if (_unwritten.Count > 0)
                {
                    _written = Math.Max(_written, _unwritten[0].Seq - 1);
                    Evict();
                }
                foreach (var (webhook, cursor) in _unwrittenCursors)
                {
                    cursors[webhook] = cursor;
                }

                _unwrittenCursors = cursors;
                CompleteDurableWaiters(long.MaxValue);
                if (Problem is null)
                {
                    Problem = $"the journal file {_options.DatabasePath} cannot be written ({exception.Message}); changes are kept in memory until it can";
                    LogWriteFailed(_options.DatabasePath!, exception.Message);
                }
            }
        }
    }

    private void Trim()
    {
        if (_database is null)
        {
            return;
        }

        try
        {
            var removed = _database.Trim(_options.KeepChanges, DateTimeOffset.UtcNow - _options.KeepAge);
            var (oldest, _) = _database.Span();
            lock (_gate)
            {
                _oldestOnDisk = oldest;
            }

            if (removed > 0)
            {
                LogTrimmed(removed, oldest);
            }
        }
        catch (SqliteException exception)
        {
            LogWriteFailed(_options.DatabasePath!, exception.Message);
        }
    }

    /// <summary>Drops the oldest of the memory span, never a change that is not on disk yet.</summary>
    private void Evict()
    {
        var limit = _database is null ? (int)Math.Min(_options.MemoryChanges, _options.KeepChanges) : _options.MemoryChanges;
        if (_recent.Count <= limit + EvictionChunk)
        {
            return;
        }

        var count = _recent.Count - limit;
        if (_database is not null)
        {
            count = (int)Math.Clamp(_written - _recent[0].Seq + 1, 0, count);
        }

        _recent.RemoveRange(0, count);
    }

    private long OldestKept() =>
        _database is not null && _oldestOnDisk > 0 ? _oldestOnDisk : _recent.Count > 0 ? _recent[0].Seq : 0;

    private void CompleteDurableWaiters(long upTo)
    {
        _durableWaiters.RemoveAll(waiter =>
        {
            if (waiter.Seq > upTo)
            {
                return false;
            }

            waiter.Durable.TrySetResult();
            return true;
        });
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change journal {Path}: last change #{Last}, oldest kept #{Oldest}")]
    private partial void LogOpened(string path, long last, long oldest);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change journal {Path} cannot be used ({Reason}): changes are kept in memory only and nothing survives a restart; move the file aside (a new one is made) or fix its folder's permissions, then restart")]
    private partial void LogUnusable(string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change journal {Path} cannot be written ({Reason}): changes are kept in memory until it can; polling and delivery go on")]
    private partial void LogWriteFailed(string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change journal {Path} is written again")]
    private partial void LogWritingAgain(string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Change journal: {Count} changes past the kept span deleted; oldest kept #{Oldest}")]
    private partial void LogTrimmed(int count, long oldest);
}
