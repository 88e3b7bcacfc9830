using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Client;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Journal;
using Evok.Orleans.Mqtt.Commands;
using Evok.Orleans.Mqtt.Discovery;
using Evok.Orleans.Mqtt.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>With <c>apis.mqtt.enabled</c>: the change sink that keeps the retained topics and the bridge that publishes them.</summary>
    public static IServiceCollection AddEvokMqtt(this IServiceCollection services, SiteConfiguration site)
    {
        if (site.Api.Mqtt is not { } mqtt)
        {
            return services;
        }

        var options = new MqttBridgeOptions(site, mqtt);
        return services
            .AddSingleton(options)
            .AddSingleton<RetainedTopics>()
            .AddSingleton(new HomeAssistantDiscovery(options))
            .AddSingleton<IDeviceChangeSink, MqttChangeSink>()
            .AddSingleton(provider => new MqttCommandHandler(
                new EvokDevices(provider.GetRequiredService<IGrainFactory>()) { Node = site.Node, JsonStyle = site.Api.JsonStyle },
                provider.GetRequiredService<ILogger<MqttCommandHandler>>()))
            .AddHostedService(provider => new MqttBridge(
                options,
                provider.GetRequiredService<RetainedTopics>(),
                provider.GetRequiredService<MqttCommandHandler>(),
                provider.GetRequiredService<ILogger<MqttBridge>>(),
                mqtt.Changes ? new JournalChangeTopic(options, provider.GetRequiredService<ChangeJournal>()) : null));
    }
}
