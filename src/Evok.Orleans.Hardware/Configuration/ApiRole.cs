namespace Evok.Orleans.Hardware.Configuration;

/// <summary>What an API token may do: <see cref="Read"/> reads devices and status, <see cref="Write"/> also switches them.</summary>
public enum ApiRole
{
    Read,
    Write,
}
