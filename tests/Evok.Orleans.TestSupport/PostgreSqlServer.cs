using System.Globalization;

namespace Evok.Orleans.TestSupport;

/// <summary>
/// A real PostgreSQL server (Debian's) in a fresh data directory on a free loopback port, for one test. PostgreSQL
/// refuses to run as root, so when the tests do (CI), initdb and the server run as the <c>postgres</c> user the
/// Debian package creates.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;

    private PostgreSqlServer(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Npgsql's connection string (trust authentication on loopback, user <c>evok</c>).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=evok;Database=postgres";

    private string Data => Path.Combine(_folder, "data");

    /// <param name="port">Null: a free one.</param>
    public static async Task<PostgreSqlServer> StartAsync(int? port = null)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
            .OrderByDescending(path => path, StringComparer.Ordinal).FirstOrDefault(path => File.Exists(Path.Combine(path, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql)");
        var folder = Directory.CreateTempSubdirectory("evok-pg-").FullName;
        var server = new PostgreSqlServer(folder, bin, port ?? FreeTcpPort.Next());
        if (Environment.UserName == "root")
        {
            await CheckAsync("chown", ["postgres:", folder]);
        }

        await server.RunAsync("initdb", ["-D", server.Data, "-A", "trust", "-U", "evok", "-E", "UTF8", "--no-sync"]);
        await server.RunAsync("pg_ctl", ["-D", server.Data, "-l", Path.Combine(folder, "log"), "-w", "-t", "30", "start",
            "-o", $"-p {server.Port.ToString(CultureInfo.InvariantCulture)} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"]);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        Directory.Delete(_folder, recursive: true);
    }

    private Task RunAsync(string tool, string[] arguments) => Environment.UserName == "root"
        ? CheckAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
        : CheckAsync(Path.Combine(_bin, tool), arguments);

    private static async Task CheckAsync(string program, string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(program, arguments, TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}{result.Output}");
        }
    }
}
