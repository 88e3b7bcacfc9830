using System.Diagnostics;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>Debian's python3-pymodbus serving Peers/pymodbus_server.py on a loopback port, for the whole test class.</summary>
public sealed class PymodbusServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; } = FreeTcpPort.Next();

    public async Task InitializeAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_server.py");
        _process = ExternalProcess.Start("/usr/bin/python3", [script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15));
        }
        catch
        {
            var error = _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "(still running)";
            throw new InvalidOperationException($"pymodbus server did not start (is python3-pymodbus installed?): {error}");
        }
    }

    public Task DisposeAsync()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
