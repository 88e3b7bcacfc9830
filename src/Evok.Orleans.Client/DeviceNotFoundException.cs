namespace Evok.Orleans.Client;

/// <summary>No circuit of that type has that name or alias.</summary>
public sealed class DeviceNotFoundException : Exception
{
    public DeviceNotFoundException(string typeName, string circuit)
        : base($"no {typeName} device '{circuit}'")
    {
        TypeName = typeName;
        Circuit = circuit;
    }

    public DeviceNotFoundException()
    {
        TypeName = Circuit = string.Empty;
    }

    public DeviceNotFoundException(string message)
        : base(message)
    {
        TypeName = Circuit = string.Empty;
    }

    public DeviceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        TypeName = Circuit = string.Empty;
    }

    public string TypeName { get; }

    public string Circuit { get; }
}
