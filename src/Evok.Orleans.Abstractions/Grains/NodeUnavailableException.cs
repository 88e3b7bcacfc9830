namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A controller of the site cannot be reached: it is down, not started yet, or not a member of the site at all.
/// Thrown where its grains would be placed, and where a call to them fails for want of their silo.
/// </summary>
[GenerateSerializer, Alias("evok.NodeUnavailableException")]
public sealed class NodeUnavailableException : Exception
{
    public NodeUnavailableException()
    {
    }

    public NodeUnavailableException(string message)
        : base(message)
    {
    }

    public NodeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public string Node { get; init; } = string.Empty;

    public static NodeUnavailableException Of(string node, Exception? cause = null) =>
        cause is null
            ? new($"controller '{node}' is not in the site (down, starting, or no such node)") { Node = node }
            : new($"controller '{node}' is not reachable: {cause.Message}", cause) { Node = node };
}
