namespace Evok.Orleans.Hardware.Writes;

/// <summary>Evok's timed switch of a relay: after <see cref="After"/> the relay is set to <see cref="RevertTo"/>.</summary>
public sealed record RelayTimeout(TimeSpan After, string RevertTo);
