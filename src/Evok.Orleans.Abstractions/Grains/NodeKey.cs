namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// Grain keys across a site of several controllers. Stock controllers all call their boards <c>1</c>, <c>2</c>,
/// <c>3</c>, so every grain a controller owns (its site grain, pollers, circuits, 1-Wire buses, outboxes, change
/// subscribers) is keyed <c>&lt;node&gt;/&lt;key&gt;</c>: <c>plc2/relay:1_01</c>. A controller on its own has the
/// empty node and keeps the keys it always had (<c>relay:1_01</c>), so nothing stored under them moves. The node
/// part is also what <c>NodePlacement</c> places the grain by.
/// </summary>
public static class NodeKey
{
    public const char Separator = '/';

    public static string Qualify(string node, string key) => node.Length == 0 ? key : $"{node}{Separator}{key}";

    /// <summary>The node a key belongs to; empty for an unqualified key.</summary>
    public static string NodeOf(string key)
    {
        var separator = key.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? string.Empty : key[..separator];
    }

    /// <summary>The key within its node (<c>relay:1_01</c> of <c>plc2/relay:1_01</c>).</summary>
    public static string LocalOf(string key)
    {
        var separator = key.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? key : key[(separator + 1)..];
    }
}
