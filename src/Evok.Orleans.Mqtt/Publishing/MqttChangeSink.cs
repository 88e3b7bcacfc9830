using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Mqtt.Discovery;

namespace Evok.Orleans.Mqtt.Publishing;

/// <summary>
/// Turns this controller's change batches into retained topics: each circuit's Evok JSON (as rendered by its poller), each
/// board's availability and, with discovery on, the Home Assistant configs a change makes new. Only offers to
/// <see cref="RetainedTopics"/>: polling never waits for the broker.
/// </summary>
public sealed class MqttChangeSink(MqttBridgeOptions options, RetainedTopics retained, HomeAssistantDiscovery discovery) : IDeviceChangeSink
{
    public ValueTask OnChangesAsync(DeviceChangeBatch batch, CancellationToken cancellationToken)
    {
        foreach (var change in batch.Changes)
        {
            var state = change.State;
            if (state is ModbusSlaveState slave)
            {
                // Availability is published whatever the mask says: every entity of the board depends on it.
                retained.Offer(options.Topics.BoardAvailability(slave.Circuit), slave.Online ? "online" : "offline");
            }

            if (!options.Broker.DeviceMask.Contains(state.Kind))
            {
                continue;
            }

            if (options.Broker.Discovery)
            {
                foreach (var config in discovery.Changed(state))
                {
                    retained.Offer(config.Topic, config.Payload);
                }
            }

            // The JSON the poller rendered once, in the configured naming, for every sink.
            retained.Offer(options.Topics.State(state.Kind, state.Circuit), change.Json);
        }

        return ValueTask.CompletedTask;
    }
}
