using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>storage</c>: where the change journal is kept and how often it is written.</summary>
internal static class StorageSection
{
    public static StorageConfiguration Parse(YamlSection? storage)
    {
        if (storage is null)
        {
            return StorageConfiguration.Sqlite;
        }

        var kind = (storage.OptionalString("type") ?? "sqlite").ToLowerInvariant() switch
        {
            "memory" => StorageConfiguration.Memory,
            "sqlite" => StorageConfiguration.Sqlite,
            "redis" => new StorageConfiguration("redis", storage.OptionalString("connection_string") ?? "127.0.0.1:6379"),
            var other => throw storage.Error("type", $"expected sqlite, memory or redis, got '{WriteValue.Quote(other)}'"),
        };
        var sync = (storage.OptionalString("sync") ?? "group").ToLowerInvariant() switch
        {
            "group" => false,
            "always" => true,
            var other => throw storage.Error("sync", $"expected group or always, got '{WriteValue.Quote(other)}'"),
        };
        return kind with
        {
            CommitInterval = TimeSpan.FromSeconds(storage.Number("commit_interval", 1, 0.05, 60)),
            SyncAlways = sync,
            KeepChanges = (long)storage.Number("journal_changes", 500_000, 1, 100_000_000),
            KeepAge = TimeSpan.FromDays(storage.Number("journal_days", 7, 0.01, 3650)),
        };
    }
}
