using Microsoft.Extensions.DependencyInjection;
using Orleans.Messaging;

namespace Evok.Orleans.Clustering.PostgreSql;

public static class PostgreSqlClusteringExtensions
{
    /// <summary>A silo's membership table in PostgreSQL (<paramref name="connectionString"/>: Npgsql's): <c>silo.Services.AddPostgreSqlMembershipTable(...)</c>.</summary>
    public static IServiceCollection AddPostgreSqlMembershipTable(this IServiceCollection services, string connectionString) => services
        .Configure<PostgreSqlClusteringOptions>(options => options.ConnectionString = connectionString)
        .AddSingleton<PostgreSqlMembershipTable>()
        .AddSingleton<IMembershipTable>(provider => provider.GetRequiredService<PostgreSqlMembershipTable>());

    /// <summary>A client app finds the site's gateways in its PostgreSQL membership table.</summary>
    public static IClientBuilder UsePostgreSqlClustering(this IClientBuilder client, string connectionString)
    {
        client.Services.AddPostgreSqlMembershipTable(connectionString).AddSingleton<IGatewayListProvider, PostgreSqlGatewayListProvider>();
        return client;
    }
}
