using System.Diagnostics;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// Debian's <c>owserver</c> on a free loopback port with simulated 1-Wire adapters: <c>--tester=...</c> (values
/// computed from the ROM id, the same on every read) or <c>--fake=...</c> (random values). Kill it to simulate
/// owserver going away; start another on the same port to bring it back.
/// </summary>
public sealed class OwserverProcess : IAsyncDisposable
{
    private readonly Process _process;

    private OwserverProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts owserver with an adapter such as <c>--tester=28,10,26</c>; waits until it accepts connections.</summary>
    public static async Task<OwserverProcess> StartAsync(string adapter, int port = 0)
    {
        port = port == 0 ? FreeTcpPort.Next() : port;
        var process = ExternalProcess.Start("owserver", ["--foreground", "--error_level=0", "-p", $"127.0.0.1:{port}", adapter]);
        var owserver = new OwserverProcess(process, port);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(15));
        }
        catch
        {
            var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
            await owserver.DisposeAsync();
            throw new InvalidOperationException($"owserver did not start (is Debian's owserver installed?): {error}");
        }

        return owserver;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
