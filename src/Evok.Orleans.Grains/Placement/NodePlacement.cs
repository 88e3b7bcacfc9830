namespace Evok.Orleans.Grains.Placement;

/// <summary>
/// Places a grain on the silo of the controller named by its key (<c>plc2/relay:1_01</c> → the silo of node
/// <c>plc2</c>): a board's poller must run where its Modbus server or serial line is, and its circuits, change
/// subscriber and outboxes beside it. See <see cref="NodePlacementDirector"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.NodePlacement")]
public sealed class NodePlacement : PlacementStrategy
{
    internal static NodePlacement Singleton { get; } = new();
}
