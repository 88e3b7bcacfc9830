namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Where the members of a site find each other: Orleans' Redis or ADO.NET (PostgreSQL) membership table.</summary>
public sealed record MembershipConfiguration(MembershipKind Kind, string ConnectionString);
