using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;
using Microsoft.Playwright;

namespace Evok.Orleans.BrowserTests;

/// <summary>
/// A stock Evok 3 controller as a user meets it: config.yaml with <c>autogen: true</c>, the boards in autogen.yaml,
/// Evok 3's definition files in hw_definitions/, no key of ours; Unipi's page served by Debian's nginx on port 80 with
/// the page's own nginx-site.conf (only its document root and Evok's port changed, as its comments say to); Debian's
/// Chromium, which reaches the controller by its address, its host name and <c>&lt;host&gt;.local</c>.
/// </summary>
public sealed class UnipiPageSite : IAsyncLifetime
{
    private readonly string _etc = Directory.CreateTempSubdirectory("evok-unipi-").FullName;
    private TestSilo? _silo;
    private Process? _nginx;
    private IPlaywright? _playwright;
    private (string Folder, bool Unpacked) _page;

    public ModbusTcpSimulator Simulator { get; } = SimulatedSite.CreateNeuron();

    public int ApiPort { get; } = FreeTcpPort.Next();

    public HttpClient Api { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The names the browser reaches the controller by, each mapped to 127.0.0.1 in the browser alone.</summary>
    public static string[] Names { get; } = ["127.0.0.1", Dns.GetHostName(), $"{Dns.GetHostName()}.local"];

    public async Task InitializeAsync()
    {
        Simulator.Start();
        await StartSiloAsync();
        _page = await EvokWebJq.LocateAsync();
        await StartNginxAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--host-resolver-rules={string.Join(", ", Names.Skip(1).Select(name => $"MAP {name} 127.0.0.1"))}",
            ],
        });
    }

    private async Task StartSiloAsync()
    {
        var definitions = Directory.CreateDirectory(Path.Combine(_etc, "hw_definitions")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", "evok3"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(definitions, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(_etc, "autogen.yaml"), $$"""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {{Simulator.Port}}
                devices:
                  1: {slave-id: 1, model: "00"}
                  2: {slave-id: 2, model: "13"}
            """);

        // Evok's own config as a controller has it; the port is the only change (this machine's 8080 may be taken).
        await File.WriteAllTextAsync(Path.Combine(_etc, "config.yaml"), $"""
            autogen: true
            apis:
              port: {ApiPort}
              address: 127.0.0.1
              websocket:
                enabled: true
            """);
        var site = SiteConfigurationLoader.Load(Path.Combine(_etc, "config.yaml"));
        _silo = await TestSilo.StartAsync(site);
        Api.BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}/");
        await Eventually.TrueAsync(async () => (await Api.GetAsync("rest/ro/2_01")).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "the silo serves the boards");
    }

    private async Task StartNginxAsync()
    {
        var www = Path.Combine(_page.Folder, "www");
        var site = (await File.ReadAllTextAsync(Path.Combine(_page.Folder, "nginx-site.conf")))
            .Replace("server 127.0.0.1:8080;", $"server 127.0.0.1:{ApiPort};", StringComparison.Ordinal)
            .Replace("/opt/evok/www", www, StringComparison.Ordinal)
            .Replace("listen 80 default_server;", "listen 127.0.0.1:80 default_server;", StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{ApiPort}", site, StringComparison.Ordinal);
        var prefix = Directory.CreateDirectory(Path.Combine(_etc, "nginx")).FullName;
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            user root;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log;
            events { worker_connections 64; }
            http {
                include /etc/nginx/mime.types;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/site.conf;
            }
            """);
        Assert.False(Listening(80), "something else listens on 127.0.0.1:80 (a system nginx?): stop it, the test serves Unipi's page there");
        _nginx = ExternalProcess.Start("nginx", ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;"]);
        await Eventually.TrueAsync(() => Task.FromResult(Listening(80) || _nginx.HasExited), TimeSpan.FromSeconds(10), "nginx listens on port 80");
        Assert.False(_nginx.HasExited, $"nginx stopped: {await _nginx.StandardError.ReadToEndAsync()}");
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_nginx is { HasExited: false })
        {
            // SIGTERM: the master stops its workers too (a killed master would leave them holding port 80).
            ExternalProcess.Terminate(_nginx);
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _nginx.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                _nginx.Kill(entireProcessTree: true);
            }
        }

        _nginx?.Dispose();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }

        Api.Dispose();
        await Simulator.DisposeAsync();
        Directory.Delete(_etc, recursive: true);
        if (_page.Unpacked)
        {
            Directory.Delete(_page.Folder, recursive: true);
        }
    }
}
