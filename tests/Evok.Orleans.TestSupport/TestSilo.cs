using System.Net.Http.Headers;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Silo;
using Microsoft.AspNetCore.Builder;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// A silo built as the program builds it (<see cref="EvokSiloHost.Build"/>: Orleans, polling, delivery, the API), in
/// the test's own process: the one place the tests build a silo, as Orleans' own tests have their cluster fixture.
/// It owns its Orleans ports (free ones unless given); the API is on the configuration's <c>apis.port</c>. A test
/// stops and starts it again (a controller restart) as often as it needs; the gateway port stays, so client apps
/// find it again.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly int? _siloPort;
    private WebApplication? _app;
    private SiteConfiguration? _site;

    /// <param name="siloPort">Null: a free port, another at each start.</param>
    /// <param name="gatewayPort">Null: a free port, kept across restarts.</param>
    public TestSilo(int? siloPort = null, int? gatewayPort = null)
    {
        _siloPort = siloPort;
        SiloPort = siloPort ?? FreeTcpPort.Next();
        GatewayPort = gatewayPort ?? FreeTcpPort.Next();
    }

    /// <summary>The configuration it runs (the one of its last start).</summary>
    public SiteConfiguration Site => _site ?? throw new InvalidOperationException("the silo was never started");

    public int SiloPort { get; private set; }

    public int GatewayPort { get; }

    /// <summary>The API on loopback (whatever <c>apis.address</c> says, loopback reaches it).</summary>
    public Uri Address => new($"http://127.0.0.1:{Site.Api.Port}/");

    /// <summary>The running silo's services.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the silo is not running");

    /// <summary>Builds and starts a silo for <paramref name="site"/>.</summary>
    public static async Task<TestSilo> StartAsync(SiteConfiguration site, int? siloPort = null, int? gatewayPort = null)
    {
        var silo = new TestSilo(siloPort, gatewayPort);
        await silo.StartAsync(site);
        return silo;
    }

    /// <summary>A silo built, not started, on free ports: for a test that needs its services only.</summary>
    public static WebApplication Build(SiteConfiguration site) => EvokSiloHost.Build(site, FreeTcpPort.Next(), FreeTcpPort.Next());

    /// <summary>Starts it (again after <see cref="StopAsync"/>), with the configuration of the last start or a changed one.</summary>
    public async Task StartAsync(SiteConfiguration? site = null)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the silo is running");
        }

        _site = site ?? Site;
        _app = EvokSiloHost.Build(_site, SiloPort, GatewayPort);
        try
        {
            await _app.StartAsync();
        }
        catch
        {
            await _app.DisposeAsync();
            _app = null;
            throw;
        }
    }

    /// <summary>A clean stop (as on SIGTERM); nothing when it is not running. The next start takes a new free silo port.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
            SiloPort = _siloPort ?? FreeTcpPort.Next();
        }
    }

    /// <summary>A stop and a start, as a controller restarts.</summary>
    public async Task RestartAsync(SiteConfiguration? site = null)
    {
        await StopAsync();
        await StartAsync(site);
    }

    /// <summary>An HTTP client of the API, with a bearer token when one is given.</summary>
    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>Waits until <paramref name="path"/> answers with success: the board behind it has been read.</summary>
    public async Task WaitUntilAnsweringAsync(string path, TimeSpan? timeout = null, string? token = null)
    {
        using var http = Client(token);
        await Eventually.TrueAsync(
            async () => (await http.GetAsync(path)).IsSuccessStatusCode, timeout ?? TimeSpan.FromSeconds(20), $"{path} to answer");
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
