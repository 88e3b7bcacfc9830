using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Evok.Orleans.Clustering.PostgreSql;

/// <summary>For client apps: the gateways of the site's active silos, read from the membership table.</summary>
internal sealed class PostgreSqlGatewayListProvider(PostgreSqlMembershipTable table, IOptions<GatewayOptions> options) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => options.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);

    public async Task<IList<Uri>> GetGateways()
    {
        var all = await table.ReadAllAsync(CancellationToken.None);
        return [.. all.Members
            .Select(member => member.Item1)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort != 0)
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, entry.SiloAddress.Generation).ToGatewayUri())];
    }
}
