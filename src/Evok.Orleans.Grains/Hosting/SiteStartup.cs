using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Buses;
using Evok.Orleans.Grains.Site;
using Evok.Orleans.Grains.Webhooks;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Maps;
using Evok.Orleans.Journal;

namespace Evok.Orleans.Grains.Hosting;

/// <summary>
/// Once the silo is active (streams and subscribers ready): saves aliases imported from Evok's file as ours, starts
/// the webhook feed from the journal's newest change and wakes every webhook outbox, so deliveries kept from before a
/// restart go out without waiting for a new change (an outbox reads what it missed up to then itself), then
/// starts every device poller and 1-Wire bus. When the silo stops, scanning stops first, so no scan report is sent
/// to a poller that is being deactivated.
/// </summary>
internal sealed class SiteStartup(
    SiteMap site, SiteConfiguration configuration, IGrainFactory grains, BusRegistry buses, AliasRegistry aliases, ChangeJournal journal, WebhookFeed feed)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiteStartup), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await buses.StopScanningAsync();
        await feed.StopAsync();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var node = new NodeGrains(grains, configuration.Node);
        await aliases.InitializeAsync();
        feed.Start(after: journal.LastSeq);
        await Task.WhenAll(configuration.Api.Webhooks.Select(webhook => node.Outbox(webhook.Name).ResumeAsync()));
        await Task.WhenAll(site.Boards.Select(board => node.Poller(board.Name).StartAsync()));
        await Task.WhenAll(configuration.OneWireBuses.Select(bus => node.OneWireBus(bus.Name).StartAsync()));
    }
}
