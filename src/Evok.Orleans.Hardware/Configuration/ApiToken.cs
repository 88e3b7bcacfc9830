namespace Evok.Orleans.Hardware.Configuration;

/// <summary>One entry of <c>apis.auth</c>: a named token, kept only as the SHA-256 of its text.</summary>
public sealed record ApiToken(string Name, ApiRole Role, string Sha256);
