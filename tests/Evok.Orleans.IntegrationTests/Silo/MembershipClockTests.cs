using System.Diagnostics;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.IntegrationTests.Silo;

/// <summary>
/// Orleans' watchdog measured a participant check never yet stamped from timestamp 0, which on the system clock is the
/// machine's boot ("has not completed for 06:37:34" on a first start). The silo gives membership a clock of its own
/// whose timestamp 0 is the silo's start (issue 37).
/// </summary>
public sealed class MembershipClockTests
{
    [Fact]
    public async Task Orleans_membership_and_watchdog_measure_from_the_silos_start_not_from_the_machines_boot()
    {
        var sinceBeforeTheSilo = Stopwatch.StartNew();
        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var site = SimulatedSite.NeuronConfiguration(neuron);
        await using var silo = await TestSilo.StartAsync(site with { Api = site.Api with { Port = FreeTcpPort.Next() } });

        var membershipClock = silo.Services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership);
        var fromZero = membershipClock.GetElapsedTime(0);
        Assert.True(fromZero <= sinceBeforeTheSilo.Elapsed, $"timestamp 0 of Orleans' membership clock was {fromZero} ago, before the silo was built");
        Assert.True(TimeProvider.System.GetElapsedTime(0) > sinceBeforeTheSilo.Elapsed);
    }
}
