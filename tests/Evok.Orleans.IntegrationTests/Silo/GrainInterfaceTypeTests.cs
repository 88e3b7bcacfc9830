using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.BroadcastChannel;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// The silo remembers each grain interface's type name instead of letting Orleans work it out on every GetGrain
/// (CachedGrainInterfaceTypes): it must be asked first, and answer what Orleans' own providers answer.
/// </summary>
public sealed class GrainInterfaceTypeTests
{
    [Fact]
    public async Task Grain_interface_types_come_from_the_silo_cache_and_match_what_orleans_resolves_itself()
    {
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        // Built, not started: the resolver and its providers are all the test needs.
        await using var silo = TestSilo.Build(SimulatedSite.NeuronConfiguration(neuron));

        var providers = silo.Services.GetServices<IGrainInterfaceTypeProvider>().ToList();
        Assert.Equal("CachedGrainInterfaceTypes", providers[0].GetType().Name);
        var resolver = silo.Services.GetRequiredService<GrainInterfaceTypeResolver>();
        var orleansOwn = new GrainInterfaceTypeResolver(providers.Skip(1), silo.Services.GetRequiredService<TypeConverter>());
        Type[] interfaces =
        [
            typeof(IRelayGrain), typeof(IModbusDevicePollerGrain), typeof(IWebhookOutboxGrain), typeof(IManagementGrain),

            // What the broadcast channel asks for on every publish (internal to Orleans).
            typeof(IBroadcastChannelWriter<>).Assembly.GetType("Orleans.BroadcastChannel.IBroadcastChannelConsumerExtension", throwOnError: true)!,
        ];
        foreach (var type in interfaces)
        {
            var expected = orleansOwn.GetGrainInterfaceType(type);
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type)); // worked out by Orleans' providers, kept
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type)); // from what was kept
        }
    }
}
