namespace Evok.Orleans.Client;

/// <summary>
/// The circuit exists (its name or alias resolved) but its board has not been read yet: the silo has just started,
/// or the board has not answered since.
/// </summary>
public sealed class DeviceNotReadException : Exception
{
    public DeviceNotReadException(string typeName, string circuit)
        : base($"{typeName} '{circuit}' has not been read from its board yet (the silo has just started, or the board does not answer)")
    {
    }

    public DeviceNotReadException()
    {
    }

    public DeviceNotReadException(string message)
        : base(message)
    {
    }

    public DeviceNotReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
