using Orleans.Placement;

namespace Evok.Orleans.Grains.Placement;

/// <summary>The grain lives on the controller its key names (<see cref="NodePlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(NodePlacement.Singleton);
