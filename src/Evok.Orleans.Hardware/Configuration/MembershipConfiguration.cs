namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Where the members of a site find each other: Orleans' Redis membership table.</summary>
public sealed record MembershipConfiguration(MembershipKind Kind, string ConnectionString);
