using System.Diagnostics;
using System.Globalization;

namespace Evok.Orleans.TestSupport;

/// <summary>A real redis-server (Debian's) on a free loopback port, without persistence of its own, for one test.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <param name="port">Null: a free one.</param>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        port ??= FreeTcpPort.Next();
        var process = ExternalProcess.Start("redis-server", ["--port", port.Value.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        await FreeTcpPort.WaitUntilListeningAsync(port.Value, TimeSpan.FromSeconds(15));
        return new RedisServer(process, port.Value);
    }

    public ValueTask DisposeAsync()
    {
        _process.Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
