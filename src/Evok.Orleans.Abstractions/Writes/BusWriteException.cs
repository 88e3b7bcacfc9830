namespace Evok.Orleans.Abstractions.Writes;

/// <summary>
/// A valid write that the bus did not carry out: the board refused it (a Modbus exception), did not answer in time
/// (<see cref="TimedOut"/>), or could not be reached. Thrown by the grain that owns the bus, so callers need not
/// know which bus protocol failed.
/// </summary>
[GenerateSerializer, Alias("evok.BusWriteException")]
public sealed class BusWriteException : Exception
{
    public BusWriteException()
    {
    }

    public BusWriteException(string message)
        : base(message)
    {
    }

    public BusWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public bool TimedOut { get; init; }
}
