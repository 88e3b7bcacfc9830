using System.Diagnostics;
using System.Globalization;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// Debian's mosquitto on a free loopback port, without persistence (a restart loses every retained message, the
/// hardest case for a publisher), optionally with a password file made by mosquitto_passwd. One per test.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private MosquittoBroker(string directory, int port, string? username, string? password, string? certificate)
    {
        Certificate = certificate;
        _directory = directory;
        Port = port;
        Username = username;
        Password = password;
    }

    public int Port { get; }

    public string? Username { get; }

    public string? Password { get; }

    /// <summary>The PEM certificate the broker serves TLS with (self-signed: it is also the CA clients trust); null: plain TCP.</summary>
    public string? Certificate { get; }

    /// <param name="tls">A certificate and key (PEM) the broker serves TLS with on its port instead of plain TCP.</param>
    public static async Task<MosquittoBroker> StartAsync(string? username = null, string? password = null, (string Certificate, string Key)? tls = null)
    {
        var directory = Directory.CreateTempSubdirectory("evok-mosquitto-").FullName;
        var port = FreeTcpPort.Next();
        var lines = new List<string> { $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1", "persistence false", "log_dest none",
            // Nagle's algorithm on the broker's sockets delays small messages to subscribers by up to a delayed ACK
            // (40 ms on Linux): off, as a broker serving automation should have it.
            "set_tcp_nodelay true",
            // Started as root, mosquitto would drop to user mosquitto, who cannot read our temporary directory.
            $"user {Environment.UserName}" };
        if (tls is { } files)
        {
            lines.Add($"certfile {files.Certificate}");
            lines.Add($"keyfile {files.Key}");
        }

        if (username is not null)
        {
            var passwords = Path.Combine(directory, "passwords");
            var made = await ExternalProcess.RunAsync("mosquitto_passwd", ["-c", "-b", passwords, username, password!], TimeSpan.FromSeconds(30));
            if (made.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd failed: {made.Error}");
            }

            lines.Add($"password_file {passwords}");
            lines.Add("allow_anonymous false");
        }
        else
        {
            lines.Add("allow_anonymous true");
        }

        await File.WriteAllLinesAsync(Path.Combine(directory, "mosquitto.conf"), lines);
        var broker = new MosquittoBroker(directory, port, username, password, tls?.Certificate);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts (again) on the same port, with no retained messages.</summary>
    public async Task StartAsync()
    {
        _process = ExternalProcess.Start("/usr/sbin/mosquitto", ["-c", Path.Combine(_directory, "mosquitto.conf")]);
        await FreeTcpPort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15));
    }

    /// <summary>kill -9: clients lose their connection without a goodbye, retained messages are gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>mosquitto_sub/mosquitto_pub arguments that reach this broker (host, port, credentials).</summary>
    public IEnumerable<string> ClientArguments()
    {
        yield return "-h";
        yield return "127.0.0.1";
        yield return "-p";
        yield return Port.ToString(CultureInfo.InvariantCulture);
        if (Certificate is not null)
        {
            yield return "--cafile";
            yield return Certificate;
        }

        if (Username is not null)
        {
            yield return "-u";
            yield return Username;
            yield return "-P";
            yield return Password!;
        }
    }

    /// <summary>Publishes one message with mosquitto_pub (QoS 1).</summary>
    public async Task PublishAsync(string topic, string payload, bool retain = false)
    {
        string[] arguments = [.. ClientArguments(), "-q", "1", "-t", topic, "-m", payload, .. retain ? new[] { "-r" } : []];
        var result = await ExternalProcess.RunAsync("mosquitto_pub", arguments, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub failed: {result.Error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
