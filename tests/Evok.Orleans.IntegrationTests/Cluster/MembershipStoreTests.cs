using System.Diagnostics;
using Evok.Orleans.TestSupport;
using Xunit.Abstractions;

namespace Evok.Orleans.IntegrationTests.Cluster;

[Trait("Category", TestCategory.Cluster)]
public sealed class MembershipStoreTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("redis", "127.0.0.1:6379,frobnicate=yes")]
    [InlineData("postgresql", "Host=127.0.0.1;Frobnicate=yes")]
    public async Task A_membership_connection_string_its_client_cannot_read_stops_the_silo_with_file_line_and_key(string membership, string connectionString)
    {
        var folder = Directory.CreateTempSubdirectory("evok-cluster-").FullName;
        try
        {
            var config = Path.Combine(folder, "config.yaml");
            await File.WriteAllTextAsync(config, ClusterSection.Yaml("bad", "plc1", connectionString, membership: membership));

            var result = await BuiltProgram.Silo.RunAsync(TimeSpan.FromSeconds(60), "--config", config);

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith($"evok-orleans: configuration error: {config}:6: cluster.membership.connection_string: ", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_controller_whose_membership_store_is_down_at_start_says_so_once_and_joins_when_it_answers()
    {
        var port = FreeTcpPort.Next();
        await using var controller = new SiteController("late", "plc1", $"127.0.0.1:{port}");
        controller.Start();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!controller.Output.Contains("does not answer", StringComparison.Ordinal))
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        // Still waiting, not gone: the store comes up a retry or two later, and the controller joins.
        await Task.Delay(TimeSpan.FromSeconds(7));
        var started = Stopwatch.StartNew();
        await using var redis = await RedisServer.StartAsync(port);
        await controller.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        output.WriteLine(controller.Output);
        output.WriteLine($"serving {started.Elapsed.TotalSeconds:0.0} s after the store came up");
        var lines = controller.Output.Split('\n');
        Assert.Single(lines, line => line.Contains("does not answer", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains($"membership store (redis 127.0.0.1:{port}) does not answer", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("answers now", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("   at ", StringComparison.Ordinal) || line.Contains("abortConnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_controller_whose_postgresql_is_down_at_start_says_so_once_without_the_password_and_joins_when_it_answers()
    {
        var port = FreeTcpPort.Next();
        await using var controller = new SiteController(
            "latepg", "plc1", $"Host=127.0.0.1;Port={port};Username=evok;Password=hunter2;Database=postgres", membership: "postgresql");
        controller.Start();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!controller.Output.Contains("does not answer", StringComparison.Ordinal))
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        await using var postgres = await PostgreSqlServer.StartAsync(port);
        await controller.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        output.WriteLine(controller.Output);
        var lines = controller.Output.Split('\n');
        Assert.Single(lines, line => line.Contains($"membership store (postgresql Host=127.0.0.1;Port={port};Username=evok;Database=postgres) does not answer", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", controller.Output, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains("answers now", StringComparison.Ordinal));
    }
}
