using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Evok.Orleans.Clustering.PostgreSql;

/// <summary>
/// Orleans' membership table in PostgreSQL: one row per silo of the site (its <see cref="MembershipEntry"/> in Orleans'
/// own binary format) and one row holding the table's version. Every change of membership is a transaction that moves
/// the version on only from the one its writer read (compare-and-swap, as Orleans' protocol requires), so two silos
/// that both saw version 7 cannot both write version 8. The tables are created if missing: no scripts to run first.
/// </summary>
internal sealed class PostgreSqlMembershipTable(IOptions<PostgreSqlClusteringOptions> options, IOptions<ClusterOptions> cluster, Serializer<MembershipEntry> serializer)
    : IMembershipTable, IAsyncDisposable
{
    private readonly string _site = cluster.Value.ClusterId;
    private NpgsqlDataSource? _database;

    private NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("the membership table is not initialized");

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        _database ??= NpgsqlDataSource.Create(options.Value.ConnectionString);
        await using var command = Database.CreateCommand(PostgreSqlMembershipSchema.Create);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (tryInitTableVersion)
        {
            await using var version = Database.CreateCommand(
                $"INSERT INTO {PostgreSqlMembershipSchema.Versions} (site, version) VALUES ($1, 0) ON CONFLICT (site) DO NOTHING");
            version.Parameters.AddWithValue(_site);
            await version.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var command = Database.CreateCommand(
            $"DELETE FROM {PostgreSqlMembershipSchema.Members} WHERE site = $1; DELETE FROM {PostgreSqlMembershipSchema.Versions} WHERE site = $1");
        command.Parameters.AddWithValue(clusterId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) => ReadAsync(silo: null, cancellationToken);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken) => ReadAsync(key, cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken) =>
        WriteAsync(entry, tableVersion, insert: true, cancellationToken);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken) =>
        WriteAsync(entry, tableVersion, insert: false, cancellationToken);

    /// <summary>The silo's heartbeat: only its alive time changes, and the table's version does not (no membership change).</summary>
    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var read = new NpgsqlCommand(
            $"SELECT entry FROM {PostgreSqlMembershipSchema.Members} WHERE site = $1 AND address = $2 FOR UPDATE", connection, transaction);
        read.Parameters.AddWithValue(_site);
        read.Parameters.AddWithValue(entry.SiloAddress.ToParsableString());
        if (await read.ExecuteScalarAsync(cancellationToken) is not byte[] stored)
        {
            throw new InvalidOperationException($"silo {entry.SiloAddress} is not in the membership table of site '{_site}'");
        }

        var existing = Deserialize(stored);
        existing.IAmAliveTime = entry.IAmAliveTime;
        await using var write = new NpgsqlCommand(
            $"UPDATE {PostgreSqlMembershipSchema.Members} SET entry = $3 WHERE site = $1 AND address = $2", connection, transaction);
        write.Parameters.AddWithValue(_site);
        write.Parameters.AddWithValue(entry.SiloAddress.ToParsableString());
        write.Parameters.AddWithValue(serializer.SerializeToArray(existing));
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        var all = await ReadAllAsync(cancellationToken);
        foreach (var (entry, _) in all.Members)
        {
            if (entry.Status != SiloStatus.Active && new DateTime(Math.Max(entry.IAmAliveTime.Ticks, entry.StartTime.Ticks), DateTimeKind.Utc) < beforeDate)
            {
                await using var delete = Database.CreateCommand($"DELETE FROM {PostgreSqlMembershipSchema.Members} WHERE site = $1 AND address = $2");
                delete.Parameters.AddWithValue(_site);
                delete.Parameters.AddWithValue(entry.SiloAddress.ToParsableString());
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    // The interface's older members, which Orleans 10.4 still requires: the same with no cancellation.
    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task<MembershipTableData> ReadAsync(SiloAddress? silo, CancellationToken cancellationToken)
    {
        // One statement, so the version and the rows are one snapshot.
        await using var command = Database.CreateCommand(
            $"SELECT v.version, m.entry FROM {PostgreSqlMembershipSchema.Versions} v " +
            $"LEFT JOIN {PostgreSqlMembershipSchema.Members} m ON m.site = v.site AND ($2::text IS NULL OR m.address = $2) WHERE v.site = $1");
        command.Parameters.AddWithValue(_site);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)silo?.ToParsableString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var version = new TableVersion(0, "0");
        var members = new List<Tuple<MembershipEntry, string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            version = Version(reader.GetInt32(0));
            if (!await reader.IsDBNullAsync(1, cancellationToken))
            {
                members.Add(Tuple.Create(Deserialize(reader.GetFieldValue<byte[]>(1)), version.VersionEtag));
            }
        }

        return new MembershipTableData(members, version);
    }

    /// <summary>Writes the row if the table is still at the version before <paramref name="tableVersion"/>, moving it to that one.</summary>
    private async Task<bool> WriteAsync(MembershipEntry entry, TableVersion tableVersion, bool insert, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var version = new NpgsqlCommand(
            $"UPDATE {PostgreSqlMembershipSchema.Versions} SET version = $2 WHERE site = $1 AND version = $3", connection, transaction);
        version.Parameters.AddWithValue(_site);
        version.Parameters.AddWithValue(tableVersion.Version);
        version.Parameters.AddWithValue(tableVersion.Version - 1);
        if (await version.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        await using var row = new NpgsqlCommand(
            insert
                ? $"INSERT INTO {PostgreSqlMembershipSchema.Members} (site, address, entry) VALUES ($1, $2, $3) ON CONFLICT (site, address) DO NOTHING"
                : $"UPDATE {PostgreSqlMembershipSchema.Members} SET entry = $3 WHERE site = $1 AND address = $2",
            connection,
            transaction);
        row.Parameters.AddWithValue(_site);
        row.Parameters.AddWithValue(entry.SiloAddress.ToParsableString());
        row.Parameters.AddWithValue(serializer.SerializeToArray(entry));
        if (await row.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private MembershipEntry Deserialize(byte[] stored) =>
        serializer.Deserialize(stored) ?? throw new InvalidOperationException($"an empty row in the membership table of site '{_site}'");

    private static TableVersion Version(int version) => new(version, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
