namespace Evok.Orleans.Hardware.Configuration;

/// <summary>A configuration or hardware-definition error, located by file, line and key.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string file, int line, string key, string problem)
        : base($"{file}:{line}: {key}: {problem}")
    {
        File = file;
        Line = line;
        Key = key;
        Problem = problem;
    }

    public ConfigurationException()
    {
        File = Key = Problem = string.Empty;
    }

    public ConfigurationException(string message)
        : base(message)
    {
        File = Key = Problem = string.Empty;
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = Key = Problem = string.Empty;
    }

    public string File { get; }

    public int Line { get; }

    public string Key { get; }

    public string Problem { get; }
}
