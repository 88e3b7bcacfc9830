using System.Diagnostics;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// A virtual RS485 line: Debian's <c>socat</c> joins two pseudo-terminals, so whatever a master writes to
/// <see cref="MasterPort"/> a slave reads from <see cref="SlavePort"/> and back. Killing socat cuts the line.
/// </summary>
public sealed class SerialLinePair : IAsyncDisposable
{
    private readonly Process _socat;
    private readonly string _directory;

    private SerialLinePair(Process socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    public string MasterPort => Path.Combine(_directory, "master");

    public string SlavePort => Path.Combine(_directory, "slave");

    public static async Task<SerialLinePair> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("evok-rs485-").FullName;
        var socat = ExternalProcess.Start("socat", [
            $"pty,raw,echo=0,link={Path.Combine(directory, "master")}",
            $"pty,raw,echo=0,link={Path.Combine(directory, "slave")}"]);
        var pair = new SerialLinePair(socat, directory);
        var started = Stopwatch.StartNew();
        while (!File.Exists(pair.MasterPort) || !File.Exists(pair.SlavePort))
        {
            if (socat.HasExited || started.Elapsed > TimeSpan.FromSeconds(10))
            {
                var error = socat.HasExited ? await socat.StandardError.ReadToEndAsync() : "(still running)";
                await pair.DisposeAsync();
                throw new InvalidOperationException($"socat did not make a pty pair (is socat installed?): {error}");
            }

            await Task.Delay(20);
        }

        return pair;
    }

    public ValueTask DisposeAsync()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill(entireProcessTree: true);
            _socat.WaitForExit(5000);
        }

        _socat.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
