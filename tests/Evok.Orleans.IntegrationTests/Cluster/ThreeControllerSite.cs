using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Cluster;

/// <summary>
/// A site of three controllers (plc1, plc2, plc3) as three silo processes on loopback, each polling its own simulated
/// Neuron, joined through a real redis-server's Orleans membership table, publishing their changes on Orleans streams.
/// </summary>
public sealed class ThreeControllerSite : IAsyncDisposable, IAsyncLifetime
{
    public const string Name = "testsite";

    private RedisServer? _redis;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<SiteController> Controllers { get; private set; } = [];

    public SiteController this[string node] => Controllers.Single(controller => controller.Node == node);

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Controllers = [.. new[] { "plc1", "plc2", "plc3" }.Select(node => new SiteController(Name, node, _redis.ConnectionString, apis: "  orleans_stream: true"))];
        foreach (var controller in Controllers)
        {
            controller.Start();
        }

        await Task.WhenAll(Controllers.Select(controller => controller.WaitUntilServingAsync(TimeSpan.FromSeconds(90))));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        foreach (var controller in Controllers)
        {
            await controller.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
