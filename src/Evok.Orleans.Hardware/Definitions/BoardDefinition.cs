using System.Collections.Immutable;
using Evok.Orleans.Hardware.Features;

namespace Evok.Orleans.Hardware.Definitions;

/// <summary>A board model's register map: the blocks a scan reads and the circuits decoded from them.</summary>
public sealed record BoardDefinition(
    string Model,
    string Source,
    ImmutableArray<RegisterBlock> Blocks,
    ImmutableArray<Feature> Features,
    ImmutableArray<string> Warnings)
{
    /// <summary>Which of Evok's definition formats the file is in (decides the default <c>json_names</c>).</summary>
    public DefinitionFormat Format { get; init; }

    /// <summary>Whether the definition is one built into the server rather than a file of the controller's.</summary>
    public bool BuiltIn => Source.StartsWith(BuiltInSourcePrefix, StringComparison.Ordinal);

    /// <summary>How <see cref="Source"/> starts for a built-in definition.</summary>
    public const string BuiltInSourcePrefix = "builtin:";
}
