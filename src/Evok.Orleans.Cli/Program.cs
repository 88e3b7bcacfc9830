using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Cli;
using Evok.Orleans.Client;

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

try
{
    await using var client = await EvokClient.ConnectAsync(command.GatewayPort);
    switch (command.Verb)
    {
        case "list":
            foreach (var state in await client.Devices.ListAsync(command.Operands.FirstOrDefault()))
            {
                Console.WriteLine(state.ToJson(command.JsonStyle));
            }

            break;
        case "get":
            Console.WriteLine((await client.Devices.GetAsync(command.Operands[0], command.Operands[1])).ToJson(command.JsonStyle));
            break;
        case "set":
            Console.WriteLine((await client.Devices.SetAsync(command.Operands[0], command.Operands[1], command.Assignments())).ToJson(command.JsonStyle));
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
catch (Exception exception) when (exception is DeviceNotFoundException or DeviceWriteException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"evok-orleans: {exception.Message}");
    return Failure;
}
catch (Exception exception) when (exception is global::Orleans.Runtime.OrleansException or System.Net.Sockets.SocketException or TimeoutException)
{
    await Console.Error.WriteLineAsync($"evok-orleans: cannot reach the silo on gateway port {command.GatewayPort}: {exception.Message}");
    return Failure;
}
