namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Where the members of a site find each other: Orleans' membership table in Redis or PostgreSQL.</summary>
public sealed record MembershipConfiguration(MembershipKind Kind, string ConnectionString)
{
    /// <summary>Where <see cref="ConnectionString"/> stands in config.yaml, for an error found when it is used.</summary>
    public int ConnectionStringLine { get; init; }
}
