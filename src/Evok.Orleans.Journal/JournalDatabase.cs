using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Microsoft.Data.Sqlite;

namespace Evok.Orleans.Journal;

/// <summary>
/// The journal's SQLite file. WAL mode: readers (a WebSocket replaying, the history endpoint) never wait for the
/// writer, and a commit appends to the log instead of rewriting pages in place. One connection writes (the journal's
/// commit loop); every read opens a pooled connection of its own.
/// </summary>
internal sealed class JournalDatabase : IDisposable
{
    private const string Columns = "seq, batch, time, kind, key, circuit_seq, json";

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly FileStream _lock;

    private JournalDatabase(string connectionString, SqliteConnection writer, FileStream @lock)
    {
        _connectionString = connectionString;
        _writer = writer;
        _lock = @lock;
    }

    /// <summary>Opens (or creates) the file; throws <see cref="SqliteException"/> or <see cref="IOException"/> when it cannot.</summary>
    /// <summary>
    /// The HRESULT of the lock refused because another process holds it: on Linux .NET gives flock's errno, EWOULDBLOCK
    /// (11); a read-only or full disk has its own, and must not be reported as another silo.
    /// </summary>
    private const int SharingViolation = 11;

    public static JournalDatabase Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // Two silos numbering into one file would overwrite each other's changes: the second is refused here.
        FileStream @lock;
        try
        {
            @lock = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (exception.HResult == SharingViolation)
        {
            throw new IOException($"another silo uses this journal ({exception.Message})", exception);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();

            // synchronous=FULL: each group commit is on the medium when it returns; NORMAL would leave the last commits
            // to the kernel's write-back (up to 30 s) on a power cut. One fsync per commit is what it costs, and
            // commits are grouped (ChangeJournal), so that is one per commit interval at most.
            Execute(writer, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS changes (
                    seq INTEGER PRIMARY KEY, batch INTEGER NOT NULL, time INTEGER NOT NULL, kind INTEGER NOT NULL,
                    key TEXT NOT NULL, circuit_seq INTEGER NOT NULL, json TEXT NOT NULL);
                DROP INDEX IF EXISTS changes_by_key;
                CREATE TABLE IF NOT EXISTS outboxes (
                    webhook TEXT PRIMARY KEY, cursor INTEGER NOT NULL, head_id TEXT, head_seqs TEXT,
                    delivered INTEGER NOT NULL, failed INTEGER NOT NULL, dropped INTEGER NOT NULL);
                """);
            return new JournalDatabase(connectionString, writer, @lock);
        }
        catch
        {
            writer.Dispose();
            @lock.Dispose();
            throw;
        }
    }

    public (long Oldest, long Last) Span()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT IFNULL(MIN(seq), 0), IFNULL(MAX(seq), 0) FROM changes";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Writes a group of changes and the outboxes' cursors in one transaction: one commit, one fsync.</summary>
    public void Write(IReadOnlyList<JournalEntry> entries, IReadOnlyCollection<OutboxCursor> cursors)
    {
        using var transaction = _writer.BeginTransaction();
        if (entries.Count > 0)
        {
            using var insert = _writer.CreateCommand();
            insert.CommandText = $"INSERT OR REPLACE INTO changes ({Columns}) VALUES ($seq, $batch, $time, $kind, $key, $circuit_seq, $json)";
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var batch = insert.Parameters.Add("$batch", SqliteType.Integer);
            var time = insert.Parameters.Add("$time", SqliteType.Integer);
            var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
            var key = insert.Parameters.Add("$key", SqliteType.Text);
            var circuitSeq = insert.Parameters.Add("$circuit_seq", SqliteType.Integer);
            var json = insert.Parameters.Add("$json", SqliteType.Text);
            insert.Prepare();
            foreach (var entry in entries)
            {
                seq.Value = entry.Seq;
                batch.Value = entry.Batch;
                time.Value = entry.Time.ToUnixTimeMilliseconds();
                kind.Value = (int)entry.Kind;
                key.Value = entry.Key;
                circuitSeq.Value = entry.CircuitSequence;
                json.Value = entry.Json;
                insert.ExecuteNonQuery();
            }
        }

        foreach (var cursor in cursors)
        {
            using var upsert = _writer.CreateCommand();
            upsert.CommandText = """
                INSERT OR REPLACE INTO outboxes (webhook, cursor, head_id, head_seqs, delivered, failed, dropped)
                VALUES ($webhook, $cursor, $head_id, $head_seqs, $delivered, $failed, $dropped)
                """;
            upsert.Parameters.AddWithValue("$webhook", cursor.Webhook);
            upsert.Parameters.AddWithValue("$cursor", cursor.Cursor);
            upsert.Parameters.AddWithValue("$head_id", (object?)cursor.HeadId ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$head_seqs", cursor.HeadSeqs.Count > 0 ? string.Join(',', cursor.HeadSeqs) : DBNull.Value);
            upsert.Parameters.AddWithValue("$delivered", cursor.Delivered);
            upsert.Parameters.AddWithValue("$failed", cursor.Failed);
            upsert.Parameters.AddWithValue("$dropped", cursor.Dropped);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Deletes what is past the kept span; the newest change always stays, so numbering goes on after it.</summary>
    public int Trim(long keepChanges, DateTimeOffset keepSince)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = """
            DELETE FROM changes WHERE seq < (SELECT MAX(seq) FROM changes)
                AND (seq <= (SELECT MAX(seq) FROM changes) - $keep OR time < $since)
            """;
        command.Parameters.AddWithValue("$keep", keepChanges);
        command.Parameters.AddWithValue("$since", keepSince.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    public List<JournalEntry> ReadAfter(long after, int max) =>
        Query($"SELECT {Columns} FROM changes WHERE seq > $after ORDER BY seq LIMIT $max", ("$after", after), ("$max", max));

    /// <summary>
    /// A circuit's changes between two times, oldest first, at most <paramref name="limit"/> of the newest: read back
    /// from the newest change until enough are found. No index by circuit, on purpose: with one, every group commit
    /// rewrote a page of the index for nearly every circuit that changed (a thousand circuits: ~4 KB written per change,
    /// 69 GB a day at 200 changes/s); without, the file grows at its end. A history read scans at most the journal.
    /// </summary>
    public List<JournalEntry> History(string key, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        var newest = Query(
            $"SELECT {Columns} FROM changes WHERE key = $key AND time >= $from AND time <= $to ORDER BY seq DESC LIMIT $limit",
            ("$key", key), ("$from", from.ToUnixTimeMilliseconds()), ("$to", to.ToUnixTimeMilliseconds()), ("$limit", limit));
        newest.Reverse();
        return newest;
    }

    public Dictionary<string, OutboxCursor> Cursors()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT webhook, cursor, head_id, head_seqs, delivered, failed, dropped FROM outboxes";
        using var reader = command.ExecuteReader();
        var cursors = new Dictionary<string, OutboxCursor>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var seqs = reader.IsDBNull(3) ? [] : reader.GetString(3).Split(',').Select(long.Parse).ToList();
            cursors[reader.GetString(0)] = new OutboxCursor(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), seqs)
            {
                Delivered = reader.GetInt64(4),
                Failed = reader.GetInt64(5),
                Dropped = reader.GetInt64(6),
            };
        }

        return cursors;
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        _lock.Dispose();
    }

    private List<JournalEntry> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var entries = new List<JournalEntry>();
        while (reader.Read())
        {
            entries.Add(new JournalEntry(
                reader.GetInt64(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                (DeviceKind)reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5), reader.GetString(6)));
        }

        return entries;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
