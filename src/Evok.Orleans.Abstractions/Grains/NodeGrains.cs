namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// The grains of one controller (node) of a site, by the names its own configuration gives them: its site grain,
/// device pollers, 1-Wire buses, circuits, webhook outboxes and change subscribers. Every caller, in a silo or a
/// client, reaches a controller's grains through here, so the node qualification (<see cref="NodeKey"/>) is in one place.
/// </summary>
public readonly record struct NodeGrains(IGrainFactory Factory, string Node)
{
    public ISiteGrain Site => Factory.GetGrain<ISiteGrain>(NodeKey.Qualify(Node, ISiteGrain.Key));

    public IModbusDevicePollerGrain Poller(string device) => Factory.GetGrain<IModbusDevicePollerGrain>(NodeKey.Qualify(Node, device));

    public IOneWireBusGrain OneWireBus(string bus) => Factory.GetGrain<IOneWireBusGrain>(NodeKey.Qualify(Node, bus));

    public IWebhookOutboxGrain Outbox(string webhook) => Factory.GetGrain<IWebhookOutboxGrain>(NodeKey.Qualify(Node, webhook));

    /// <summary>The controller's change journal, for client apps that resume from a number.</summary>
    public IChangeJournalGrain Journal => Factory.GetGrain<IChangeJournalGrain>(NodeKey.Qualify(Node, IChangeJournalGrain.Key));

    /// <summary>The subscriber of a change channel (<see cref="ISiteGrain.GetChangeChannelsAsync"/>).</summary>
    public IDeviceChangeSubscriberGrain ChangeSubscriber(string channel) => Factory.GetGrain<IDeviceChangeSubscriberGrain>(NodeKey.Qualify(Node, channel));

    /// <summary>The grain of a circuit key such as <c>relay:2_04</c>.</summary>
    public ICircuitGrain Circuit(string key) => CircuitGrains.Get(Factory, NodeKey.Qualify(Node, key));

    public TGrain Circuit<TGrain>(string key)
        where TGrain : ICircuitGrain => Factory.GetGrain<TGrain>(NodeKey.Qualify(Node, key));
}
