namespace Evok.Orleans.OneWire;

/// <summary>owserver could not be reached, broke the protocol, or answered a request with an error.</summary>
public sealed class OwserverException : Exception
{
    public OwserverException()
    {
    }

    public OwserverException(string message)
        : base(message)
    {
    }

    public OwserverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error code owserver answered with (a negative errno), or 0 when it did not answer.</summary>
    public int ErrorCode { get; init; }

    /// <summary>owserver did not answer within the client's timeout.</summary>
    public bool TimedOut { get; init; }
}
