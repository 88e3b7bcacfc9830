namespace Evok.Orleans.Hardware.Configuration;

public enum MembershipKind
{
    Redis,

    /// <summary>Our own membership table in PostgreSQL (Evok.Orleans.Clustering.PostgreSql), created if missing.</summary>
    PostgreSql,
}
