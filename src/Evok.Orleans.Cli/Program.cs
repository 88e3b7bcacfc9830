using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Cli;
using Evok.Orleans.Client;
using Evok.Orleans.Hardware.Configuration;

const int UsageError = 2;
const int Failure = 1;

CliCommand command;
try
{
    command = CliCommand.Parse(args);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync($"evok-orleans: {exception.Message}\n{CliCommand.Usage}");
    return UsageError;
}

if (command.Verb == "help")
{
    Console.WriteLine(CliCommand.Usage);
    return 0;
}

if (command.Verb == "token")
{
    // Made here, shown once: config.yaml keeps only the hash, so a leaked config file does not leak the token.
    var token = ApiTokens.Create();
    Console.WriteLine($$"""
        token: {{token}}
        Add under apis.auth in config.yaml (the token itself is shown only now; send it as 'Authorization: Bearer <token>'):
          - {name: {{command.Operands[1]}}, role: {{command.Operands[2]}}, token_sha256: {{ApiTokens.Sha256(token)}}}
        """);
    return 0;
}

try
{
    await using var client = command.Site switch
    {
        (var site, var store, true) => await EvokClient.ConnectToPostgreSqlSiteAsync(site, store, command.Tls),
        (var site, var store, false) => await EvokClient.ConnectToSiteAsync(site, store, command.Tls),
        null => await EvokClient.ConnectAsync(command.GatewayPort),
    };
    var devices = command.Node is { } node ? client.Node(node) : client.Devices;
    switch (command.Verb)
    {
        case "nodes":
            foreach (var siteNode in await client.NodesAsync())
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(siteNode));
            }

            break;
        case "list":
            foreach (var state in await devices.ListAsync(command.Operands.FirstOrDefault()))
            {
                Console.WriteLine(state.ToJson(command.JsonStyle));
            }

            break;
        case "get":
            Console.WriteLine((await devices.GetAsync(command.Operands[0], command.Operands[1])).ToJson(command.JsonStyle));
            break;
        case "set":
            Console.WriteLine((await devices.SetAsync(command.Operands[0], command.Operands[1], command.Assignments())).ToJson(command.JsonStyle));
            break;
        case "watch":
            using (var stop = new CancellationTokenSource())
            {
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                var mask = command.Mask.Contains("default") ? DeviceMask.Everything : EvokDevices.Mask(command.Mask);
                Console.Error.WriteLine("evok-orleans: watching; Ctrl+C stops");
                try
                {
                    await foreach (var batch in client.WatchAsync(mask, stop.Token))
                    {
                        Console.WriteLine($"[{string.Join(", ", batch.Changes.Select(change => change.State.ToJson(command.JsonStyle)))}]");
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }

            break;
    }

    return 0;
}
catch (Exception exception) when (exception is DeviceNotFoundException or DeviceWriteException or ArgumentException or NodeUnavailableException)
{
    await Console.Error.WriteLineAsync($"evok-orleans: {exception.Message}");
    return Failure;
}
catch (Exception exception) when (exception is global::Orleans.Runtime.OrleansException or System.Net.Sockets.SocketException or TimeoutException)
{
    var where = command.Site is var (siteName, store, isPostgreSql)
        ? $"site '{siteName}' through the membership table in {(isPostgreSql ? "PostgreSQL" : $"Redis at {store}")}"
        : $"the silo on gateway port {command.GatewayPort}";
    await Console.Error.WriteLineAsync($"evok-orleans: cannot reach {where}: {exception.Message}");
    return Failure;
}
