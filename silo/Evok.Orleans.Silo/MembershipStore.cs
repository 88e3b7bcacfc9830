using System.Runtime.InteropServices;
using Evok.Orleans.Hardware.Configuration;
using Npgsql;
using StackExchange.Redis;

namespace Evok.Orleans.Silo;

/// <summary>
/// Waits for a site's membership store before the silo starts. Orleans stops a silo whose membership table does not
/// answer at start with a stack trace; a controller usually boots faster than the server that keeps the table (or
/// comes up while the network is out), so it says so in one line and tries again until the store answers or it is
/// told to stop.
/// </summary>
internal static class MembershipStore
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True once the store answers; false when SIGTERM or Ctrl+C came first. A connection string Redis' client
    /// cannot read is a <see cref="ConfigurationException"/> naming its line in <paramref name="file"/>.
    /// </summary>
    public static async Task<bool> WaitUntilReachableAsync(string file, MembershipConfiguration membership, TextWriter log)
    {
        try
        {
            // Naming the store parses its connection string with the store's own client: that is the check.
            _ = Describe(membership);
        }
        catch (ArgumentException exception)
        {
            throw new ConfigurationException(file, membership.ConnectionStringLine, "cluster.membership.connection_string", exception.Message);
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var said = false;
        while (true)
        {
            var problem = await ProblemAsync(membership);
            if (problem is null)
            {
                if (said)
                {
                    await log.WriteLineAsync($"evok-orleans: cluster: the membership store answers now; joining the site");
                }

                return true;
            }

            if (!said)
            {
                await log.WriteLineAsync($"evok-orleans: cluster: the membership store ({Describe(membership)}) does not answer: {problem}; trying again every {RetryEvery.TotalSeconds:0} s");
                said = true;
            }

            try
            {
                await Task.Delay(RetryEvery, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private static Task<string?> ProblemAsync(MembershipConfiguration membership) =>
        membership.Kind == MembershipKind.PostgreSql ? PostgreSqlProblemAsync(membership.ConnectionString) : RedisProblemAsync(membership.ConnectionString);

    private static async Task<string?> PostgreSqlProblemAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return exception.Message.Split('\n')[0];
        }
    }

    private static async Task<string?> RedisProblemAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 3000;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return null;
        }
        catch (RedisConnectionException exception)
        {
            // Its message goes on to advise a client setting; what the failure was is all a user needs.
            return $"{exception.FailureType} ({exception.Message.Split(". ")[0]})";
        }
        catch (RedisException exception)
        {
            return exception.Message.Split('\n')[0];
        }
    }

    /// <summary>The store named as the log should name it: without its password.</summary>
    private static string Describe(MembershipConfiguration membership) => membership.Kind == MembershipKind.PostgreSql
        ? $"postgresql {new NpgsqlConnectionStringBuilder(membership.ConnectionString) { Password = null }.ConnectionString}"
        : $"redis {ConfigurationOptions.Parse(membership.ConnectionString).ToString(includePassword: false)}";
}
