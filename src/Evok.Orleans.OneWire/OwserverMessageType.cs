namespace Evok.Orleans.OneWire;

/// <summary>The request types of the owserver protocol (owfs.org owserver-message-types).</summary>
public enum OwserverMessageType
{
    Error = 0,
    Nop = 1,
    Read = 2,
    Write = 3,
    Dir = 4,
    Size = 5,
    Presence = 6,
    DirAll = 7,
    Get = 8,
    DirAllSlash = 9,
    GetSlash = 10,
}
