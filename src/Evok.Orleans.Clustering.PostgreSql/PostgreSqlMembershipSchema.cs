namespace Evok.Orleans.Clustering.PostgreSql;

/// <summary>Our two tables; created by the first silo or client of a site, idempotently (several may start at once).</summary>
internal static class PostgreSqlMembershipSchema
{
    public const string Versions = "evok_membership_version";

    public const string Members = "evok_membership";

    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS {Versions} (site text PRIMARY KEY, version integer NOT NULL);
        CREATE TABLE IF NOT EXISTS {Members} (site text NOT NULL, address text NOT NULL, entry bytea NOT NULL, PRIMARY KEY (site, address));
        """;
}
