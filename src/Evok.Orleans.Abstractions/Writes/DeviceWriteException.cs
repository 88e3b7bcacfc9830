namespace Evok.Orleans.Abstractions.Writes;

/// <summary>A write request that was refused before anything reached Modbus (bad value, read-only property).</summary>
[GenerateSerializer, Alias("evok.DeviceWriteException")]
public sealed class DeviceWriteException : Exception
{
    public DeviceWriteException(string property, string message)
        : base(message)
    {
        Property = property;
    }

    public DeviceWriteException()
    {
    }

    public DeviceWriteException(string message)
        : base(message)
    {
    }

    public DeviceWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public string Property { get; init; } = string.Empty;
}
