namespace Evok.Orleans.Silo;

/// <summary>The silo's few options. Anything else on the command line is an error, not silently ignored.</summary>
internal sealed record SiloCommandLine(string? ConfigPath, Uri? Webhook, bool ShowHelp)
{
    public const string Usage = """
        Usage: evok-orleans-silo [--config <config.yaml>] [--webhook <url>]

          (no options)        run against the built-in simulated Neuron (models 00 and 13) on loopback; it moves by
                              itself (DI 2_01 toggles every 3 s, AI 2_01 drifts) and every change is logged
          --simulator-still   the built-in simulator changes only when written (for tests)
          --config <path>     run against an Evok config.yaml; hw_definitions/ next to it, then the built-in ones
          --webhook <url>     also POST every change (complex events, all device types) to <url>
          --silo-port <port>  Orleans silo port (default: cluster.silo_port, else 11111)
          --gateway-port <p>  Orleans gateway port for client apps and the CLI (default: cluster.gateway_port, else 30000)
          --state-dir <dir>   where the silo writes (aliases.yaml, the journal evok-orleans.db); default: next to
                              config.yaml, as Evok does (the built-in simulator: ~/.local/share/evok-orleans)
          --help              show this text
        """;

    /// <summary>Null: the config's <c>cluster.silo_port</c>, else Orleans' usual 11111.</summary>
    public int? SiloPort { get; init; }

    public int? GatewayPort { get; init; }

    /// <summary>
    /// Where the files the silo writes go (the package sets /var/lib/evok-orleans, so /etc stays read-only to the
    /// service); null: next to config.yaml.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>Keeps the built-in simulator from moving by itself.</summary>
    public bool SimulatorStill { get; init; }

    public static SiloCommandLine Parse(IReadOnlyList<string> args)
    {
        string? config = null;
        Uri? webhook = null;
        int? siloPort = null;
        int? gatewayPort = null;
        string? stateDirectory = null;
        var still = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config":
                    config = Value(args, ref i);
                    break;
                case "--webhook":
                    var text = Value(args, ref i);
                    if (!Uri.TryCreate(text, UriKind.Absolute, out webhook) || (webhook.Scheme != Uri.UriSchemeHttp && webhook.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new ArgumentException($"--webhook: expected an http:// or https:// URL, got '{text}'");
                    }

                    break;
                case "--silo-port":
                    siloPort = Port(args, ref i);
                    break;
                case "--gateway-port":
                    gatewayPort = Port(args, ref i);
                    break;
                case "--state-dir":
                    stateDirectory = Value(args, ref i);
                    break;
                case "--simulator-still":
                    still = true;
                    break;
                case "--help" or "-h":
                    return new SiloCommandLine(null, null, true);
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new SiloCommandLine(config, webhook, false) { SiloPort = siloPort, GatewayPort = gatewayPort, StateDirectory = stateDirectory, SimulatorStill = still };
    }

    private static int Port(IReadOnlyList<string> args, ref int i)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, out var port) && port is > 0 and < 65536
            ? port
            : throw new ArgumentException($"{args[i - 1]}: expected a port number, got '{text}'");
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
