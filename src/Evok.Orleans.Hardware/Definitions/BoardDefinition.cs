using System.Collections.Immutable;
using Evok.Orleans.Hardware.Features;

namespace Evok.Orleans.Hardware.Definitions;

/// <summary>A board model's register map: the blocks a scan reads and the circuits decoded from them.</summary>
public sealed record BoardDefinition(
    string Model,
    string Source,
    ImmutableArray<RegisterBlock> Blocks,
    ImmutableArray<Feature> Features,
    ImmutableArray<string> Warnings);
