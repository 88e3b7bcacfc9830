using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Evok.Orleans.UnitTests.Journal;

/// <summary>The journal on a real SQLite file in a scratch folder.</summary>
public sealed class ChangeJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-journal-").FullName;

    private string File => Path.Combine(_folder, "evok-orleans.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Numbers_grow_by_one_per_change_and_go_on_after_a_reopen()
    {
        await using (var journal = Open())
        {
            var first = await journal.AppendAsync(Batch(("1_01", 1), ("1_02", 1)));
            await journal.AppendAsync(Batch(("1_01", 0)));
            Assert.Equal(3, journal.LastSeq);
            Assert.Equal([1L, 2], first.Changes.Select(change => change.Seq));
        }

        await using var reopened = Open();
        var numbered = await reopened.AppendAsync(Batch(("1_02", 0)));
        Assert.Equal(4, Assert.Single(numbered.Changes).Seq);

        var entries = await reopened.ReadAfterAsync(0, 10);
        Assert.Equal([1L, 2, 3, 4], entries.Select(entry => entry.Seq));
        Assert.Equal([1L, 1, 3, 4], entries.Select(entry => entry.Batch));
        Assert.True(reopened.IsDurable);
        Assert.Null(reopened.Problem);
    }

    [Fact]
    public async Task Changes_that_left_memory_are_read_back_from_the_file_in_order()
    {
        await using var journal = Open(new JournalOptions { DatabasePath = File, MemoryChanges = 10, CommitInterval = TimeSpan.FromMilliseconds(50) });
        for (var i = 0; i < 3000; i++)
        {
            await journal.AppendAsync(Batch(("1_01", i % 2)));
            if (i % 500 == 0)
            {
                await Task.Delay(120);
            }
        }

        var entries = await journal.ReadAfterAsync(5, 100);
        Assert.Equal(Enumerable.Range(6, 100).Select(seq => (long)seq), entries.Select(entry => entry.Seq));
    }

    [Fact]
    public async Task History_gives_one_circuits_changes_oldest_first_and_keeps_the_newest_when_limited()
    {
        await using var journal = Open();
        await journal.AppendAsync(Batch(("1_01", 1), ("1_02", 1)));
        await journal.AppendAsync(Batch(("1_01", 0)));
        await journal.AppendAsync(Batch(("1_01", 1)));
        var all = DateTimeOffset.UtcNow.AddHours(-1);

        var history = await journal.HistoryAsync("relay:1_01", all, DateTimeOffset.UtcNow.AddMinutes(1), 10);
        var newest = await journal.HistoryAsync("relay:1_01", all, DateTimeOffset.UtcNow.AddMinutes(1), 2);

        Assert.Equal([1L, 3, 4], history.Select(entry => entry.Seq));
        Assert.Equal([3L, 4], newest.Select(entry => entry.Seq));
    }

    [Fact]
    public async Task An_outbox_cursor_is_written_with_the_next_commit_and_read_after_a_reopen()
    {
        await using (var journal = Open())
        {
            journal.SaveCursor(new OutboxCursor("scada", 41, "abc", [42, 43]) { Delivered = 7 });
        }

        await using var reopened = Open();
        var cursor = reopened.CursorOf("scada");
        Assert.NotNull(cursor);
        Assert.Equal((41L, "abc", 7L), (cursor.Cursor, cursor.HeadId, cursor.Delivered));
        Assert.Equal([42L, 43], cursor.HeadSeqs);
    }

    [Fact]
    public async Task A_corrupt_file_is_said_once_and_changes_go_on_in_memory()
    {
        await System.IO.File.WriteAllTextAsync(File, new string('x', 8192));

        await using var journal = Open();
        await journal.AppendAsync(Batch(("1_01", 1)));

        Assert.False(journal.IsDurable);
        Assert.Contains(File, journal.Problem, StringComparison.Ordinal);
        Assert.Equal(1, journal.LastSeq);
        Assert.Single(await journal.ReadAfterAsync(0, 10));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_made_is_said_and_changes_go_on_in_memory()
    {
        var notAFolder = Path.Combine(_folder, "plain-file");
        await System.IO.File.WriteAllTextAsync(notAFolder, "");

        await using var journal = Open(new JournalOptions { DatabasePath = Path.Combine(notAFolder, "evok-orleans.db") });
        await journal.AppendAsync(Batch(("1_01", 1)));

        Assert.False(journal.IsDurable);
        Assert.NotNull(journal.Problem);
        Assert.Equal(1, journal.LastSeq);
    }

    [Fact]
    public async Task A_second_journal_on_the_same_file_is_refused_rather_than_numbering_over_the_first()
    {
        await using var first = Open();
        await using var second = Open();

        Assert.True(first.IsDurable);
        Assert.False(second.IsDurable);
        Assert.Contains("another silo", second.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_sync_always_an_append_completes_once_the_change_is_in_the_file()
    {
        await using var journal = Open(new JournalOptions { DatabasePath = File, SyncEveryBatch = true, CommitInterval = TimeSpan.FromHours(1) });

        await journal.AppendAsync(Batch(("1_01", 1)));

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={File}");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM changes";
        Assert.Equal(1L, (long)count.ExecuteScalar()!);
    }

    private ChangeJournal Open(JournalOptions? options = null) =>
        new(options ?? new JournalOptions { DatabasePath = File, CommitInterval = TimeSpan.FromMilliseconds(50) }, NullLogger<ChangeJournal>.Instance);

    private static DeviceChangeBatch Batch(params (string Circuit, int Value)[] relays) => new("2", [.. relays.Select(relay =>
    {
        var state = new CoilState { CoilKind = DeviceKind.RelayOutput, Circuit = relay.Circuit, GlobalDeviceId = 1, Value = relay.Value };
        return new DeviceChanged(state.Key, 1, DateTimeOffset.UtcNow, state, state.ToJson(EvokJsonStyle.Evok2));
    })]);
}
