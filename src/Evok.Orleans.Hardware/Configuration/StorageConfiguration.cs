namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Where the silo keeps what must survive a restart (webhook outboxes): memory (the default: lost on restart) or
/// Redis. Configured by a <c>storage</c> section that Evok itself ignores.
/// </summary>
public sealed record StorageConfiguration(string Kind, string? ConnectionString)
{
    public static StorageConfiguration Memory { get; } = new("memory", null);

    public bool IsRedis => Kind == "redis";
}
