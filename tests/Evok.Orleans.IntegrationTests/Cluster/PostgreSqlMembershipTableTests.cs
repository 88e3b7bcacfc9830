using System.Net;
using Evok.Orleans.Clustering.PostgreSql;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// The PostgreSQL membership table against a real server: the compare-and-swap Orleans' membership protocol stands on
/// (a write made from a stale table version loses, of two racing writers exactly one wins), heartbeats that leave the
/// version alone, and sites kept apart in one database.
/// </summary>
[Trait("Category", TestCategory.Cluster)]
public sealed class PostgreSqlMembershipTableTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private PostgreSqlServer? _postgres;

    [Fact]
    public async Task A_write_from_a_stale_version_loses_and_of_racing_writers_exactly_one_wins()
    {
        await using var services = Table("hall-a", out var table);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, None);
        var empty = await table.ReadAllAsync(None);
        Assert.Empty(empty.Members);

        var first = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next(), None));
        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), empty.Version.Next(), None));

        var one = await table.ReadAllAsync(None);
        Assert.Equal(1, one.Version.Version);
        var (stored, etag) = Assert.Single(one.Members);
        Assert.Equal((first.SiloAddress, SiloStatus.Joining), (stored.SiloAddress, stored.Status));

        stored.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(stored, etag, one.Version.Next(), None));
        Assert.False(await table.UpdateRowAsync(stored, etag, one.Version.Next(), None));

        // Racing: both read version 2, both try to make it 3.
        var two = await table.ReadAllAsync(None);
        var race = await Task.WhenAll(
            table.InsertRowAsync(Entry(11113, SiloStatus.Joining), two.Version.Next(), None),
            table.InsertRowAsync(Entry(11114, SiloStatus.Joining), two.Version.Next(), None));
        Assert.Single(race, won => won);
        Assert.Equal(3, (await table.ReadAllAsync(None)).Version.Version);
    }

    [Fact]
    public async Task A_heartbeat_updates_the_alive_time_only_and_sites_in_one_database_are_apart()
    {
        await using var servicesA = Table("site-a", out var siteA);
        await using var servicesB = Table("site-b", out var siteB);
        await siteA.InitializeMembershipTableAsync(tryInitTableVersion: true, None);
        await siteB.InitializeMembershipTableAsync(tryInitTableVersion: true, None);
        var entry = Entry(22222, SiloStatus.Active);
        Assert.True(await siteA.InsertRowAsync(entry, (await siteA.ReadAllAsync(None)).Version.Next(), None));

        var alive = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        entry.IAmAliveTime = alive;
        entry.Status = SiloStatus.Dead;
        await siteA.UpdateIAmAliveAsync(entry, None);

        var read = await siteA.ReadRowAsync(entry.SiloAddress, None);
        var (stored, _) = Assert.Single(read.Members);
        Assert.Equal((alive, SiloStatus.Active), (stored.IAmAliveTime, stored.Status));
        Assert.Equal(1, read.Version.Version);
        Assert.Empty((await siteB.ReadAllAsync(None)).Members);

        // A dead entry older than the cut-off is cleaned up; the other site is not touched.
        stored.Status = SiloStatus.Dead;
        Assert.True(await siteA.UpdateRowAsync(stored, "1", read.Version.Next(), None));
        await siteA.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow, None);
        Assert.Empty((await siteA.ReadAllAsync(None)).Members);
    }

    public async Task InitializeAsync() => _postgres = await PostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private ServiceProvider Table(string site, out IMembershipTable table)
    {
        var services = new ServiceCollection()
            .AddSerializer()
            .Configure<ClusterOptions>(options => options.ClusterId = site)
            .AddPostgreSqlMembershipTable(_postgres!.ConnectionString)
            .BuildServiceProvider();
        table = services.GetRequiredService<IMembershipTable>();
        return services;
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1),
        Status = status,
        ProxyPort = port + 1,
        HostName = "localhost",
        SiloName = $"plc{port}",
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
        SuspectTimes = [],
    };
}
