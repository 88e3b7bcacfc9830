using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Silo;
using Evok.Orleans.Simulator;

const int ConfigurationError = 2;

RuntimeDefaults.Apply();

SiloCommandLine commandLine;
try
{
    commandLine = SiloCommandLine.Parse(args);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync($"evok-orleans: {exception.Message}\n{SiloCommandLine.Usage}");
    return ConfigurationError;
}

if (commandLine.ShowHelp)
{
    Console.WriteLine(SiloCommandLine.Usage);
    return 0;
}

await using var simulator = commandLine.ConfigPath is null ? SimulatedSite.CreateNeuron() : null;
SiteConfiguration site;
try
{
    if (simulator is null)
    {
        site = SiteConfigurationLoader.Load(commandLine.ConfigPath!);
        if (commandLine.StateDirectory is { } state)
        {
            site = site with { AliasFile = Path.Combine(Path.GetFullPath(state), "aliases.yaml"), Storage = site.Storage.InDirectory(state) };
        }
    }
    else
    {
        simulator.Start();

        // Under the user's data folder (~/.local/share/evok-orleans), made if missing: .NET names no folder for one
        // that does not exist, which put a first run's journal in the folder the program was started from.
        var folder = commandLine.StateDirectory
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "evok-orleans");
        site = SimulatedSite.NeuronConfiguration(simulator) with
        {
            AliasFile = Path.Combine(Path.GetFullPath(folder), "simulator-aliases.yaml"),
            Storage = StorageConfiguration.Sqlite.InDirectory(folder),
        };
    }

    if (commandLine.Webhook is { } webhook)
    {
        site = site.WithWebhook(new WebhookConfiguration("command-line", webhook, DeviceMask.Everything, ComplexEvents: true));
    }

    foreach (var warning in site.Warnings)
    {
        await Console.Error.WriteLineAsync($"evok-orleans: warning: {warning}");
    }

    if (EvokSiloHost.PortProblem(site.Api) is { } portProblem)
    {
        await Console.Error.WriteLineAsync($"evok-orleans: {portProblem}");
        return ConfigurationError;
    }

    if (site.Cluster is { } cluster && !await MembershipStore.WaitUntilReachableAsync(site.Source, cluster.Membership, Console.Error))
    {
        return 0;
    }

    // A first run (the built-in simulator) shows every change in the console.
    await using var app = EvokSiloHost.Build(site, commandLine.SiloPort, commandLine.GatewayPort, logChanges: simulator is not null);
    var url = EvokSiloHost.ListenUrl(site.Api);
    Console.WriteLine($"evok-orleans: dashboard on {url}/" + (site.Api.OrleansDashboard ? $" (the silo's own: {url}/orleans/)" : string.Empty));
    Console.WriteLine($"evok-orleans: API on {url} (REST {url}/rest/all, WebSocket {url.Replace("http", "ws", StringComparison.Ordinal)}/ws)");
    using var stopping = new CancellationTokenSource();
    var motion = Task.CompletedTask;
    if (simulator is not null)
    {
        Console.WriteLine($"evok-orleans: no --config given; polling the built-in simulated Neuron on 127.0.0.1:{simulator.Port}"
            + (commandLine.SimulatorStill ? string.Empty : ", which moves by itself (--simulator-still keeps it still)"));
        if (!commandLine.SimulatorStill)
        {
            motion = SimulatedSiteMotion.RunAsync(simulator, stopping.Token);
        }
    }

    // Taken before the run: RunAsync disposes the host's services before its exception reaches us.
    var stopRequested = app.Lifetime.ApplicationStopping;
    try
    {
        await app.RunAsync();
    }
    catch (Exception exception) when (exception is OperationCanceledException or OrleansLifecycleCanceledException && stopRequested.IsCancellationRequested)
    {
        // SIGTERM or Ctrl+C while the silo was still starting (systemd stopping a unit that had just started): the
        // start gives up, the host disposes what had started, and that is a clean stop, not a crash.
        Console.WriteLine("evok-orleans: stopped while starting");
    }

    await stopping.CancelAsync();
    await motion;
    return 0;
}
catch (ConfigurationException exception)
{
    await Console.Error.WriteLineAsync($"evok-orleans: configuration error: {exception.Message}");
    return ConfigurationError;
}
catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Another silo or Evok itself holds the API port: one line, not a stack trace.
    await Console.Error.WriteLineAsync($"evok-orleans: cannot listen: {exception.Message} (another silo, or Evok itself, uses the port; stop it or set apis.port)");
    return ConfigurationError;
}
