using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>logging</c>: the level our components log at; <c>logging.file</c> is a warning (logs go to standard output).</summary>
internal static class LoggingSection
{
    public static string? Parse(YamlSection? logging, ICollection<string> warnings)
    {
        if (logging is null)
        {
            return null;
        }

        if (logging.Has("file"))
        {
            warnings.Add($"{logging.File}:{logging.LineOf("file")}: logging.file: logs go to standard output (the journal under systemd), not to a file");
        }

        return logging.OptionalString("level")?.ToUpperInvariant() switch
        {
            null => null,
            ("DEBUG" or "INFO" or "WARNING" or "WARN" or "ERROR" or "CRITICAL" or "FATAL") and var level => level,
            var other => throw logging.Error("level", $"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got '{other}'"),
        };
    }
}
