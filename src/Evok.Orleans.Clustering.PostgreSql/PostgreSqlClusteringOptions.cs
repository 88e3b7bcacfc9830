namespace Evok.Orleans.Clustering.PostgreSql;

/// <summary><c>cluster.membership</c> of type postgresql.</summary>
public sealed class PostgreSqlClusteringOptions
{
    /// <summary>Npgsql's connection string: <c>Host=10.0.0.5;Username=evok;Password=...;Database=evok</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;
}
