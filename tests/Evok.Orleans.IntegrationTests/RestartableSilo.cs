using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Silo;
using Evok.Orleans.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Evok.Orleans.IntegrationTests;

/// <summary>
/// A silo built as the program builds it, in the test's process on free silo and gateway ports, that a test stops and
/// starts again (a controller restart) as often as it needs.
/// </summary>
internal sealed class RestartableSilo : IAsyncDisposable
{
    private WebApplication? _silo;

    /// <summary>The running silo's services.</summary>
    public IServiceProvider Services => _silo?.Services ?? throw new InvalidOperationException("the silo is not running");

    public async Task StartAsync(SiteConfiguration configuration)
    {
        _silo = EvokSiloHost.Build(configuration, FreeTcpPort.Next(), FreeTcpPort.Next());
        await _silo.StartAsync();
    }

    /// <summary>A clean stop (as on SIGTERM); nothing when it is not running.</summary>
    public async Task StopAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
            _silo = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
