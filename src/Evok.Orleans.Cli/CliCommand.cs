using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Client.Security;

namespace Evok.Orleans.Cli;

/// <summary>A parsed command line of the evok-orleans tool.</summary>
internal sealed record CliCommand(string Verb, ImmutableArray<string> Operands, int GatewayPort, ImmutableArray<string> Mask)
{
    public const string Usage = """
        Usage: evok-orleans [--gateway-port <port>] [--json-names evok2|evok3] <command>
               evok-orleans --site <site> --redis <host:port>|--postgresql <connection string> [--node <node>] [--tls-ca <pem> --tls-cert <pem> --tls-key <pem>] <command>

          list [<type>]                          every device (or those of one type), one JSON line each
          get <type> <circuit|alias>             one device's JSON
          set <type> <circuit|alias> <value>     set its value (relay 0/1, ao volts, ...)
          set <type> <circuit|alias> <p>=<v>...  set properties (mode=Current, alias=pump, timeout=5 ...)
          watch [--mask relay,ao]                print each change batch as it happens, until Ctrl+C
          token create <name> read|write         make an API token for apis.auth (needs no silo)
          nodes                                  the controllers of the site, one JSON line each

        Types are Evok's: relay, ro, do, di/input, ai, ao, led, wd, register. The silo must run on this machine,
        or, with --site and --redis or --postgresql (config.yaml's cluster.site and cluster.membership.connection_string), any
        controller of the site; --node names the controller whose devices list/get/set address (watch: all).
        A site with cluster.tls needs --tls-ca (its authority) and a certificate and key it issued.
        --json-names evok3 prints Evok 3's names (ro/do/di, no glob_dev_id); evok2 (or seed), the default, Evok 2's.
        """;

    /// <summary><c>--site</c> and <c>--redis</c> (or <c>--postgresql</c>): reach a site of several controllers through any gateway.</summary>
    public (string Site, string Store, bool IsPostgreSql)? Site { get; init; }

    /// <summary><c>--tls-ca</c>, <c>--tls-cert</c>, <c>--tls-key</c>: a site with <c>cluster.tls</c>.</summary>
    public SiteTls? Tls { get; init; }

    /// <summary><c>--node</c>: the controller of the site addressed.</summary>
    public string? Node { get; init; }

    /// <summary>The naming devices are printed in (<c>--json-names</c>, as config.yaml's <c>apis.json_names</c>).</summary>
    public EvokJsonStyle JsonStyle { get; init; } = EvokJsonStyle.Evok2;

    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        var gatewayPort = 30000;
        ImmutableArray<string> mask = ["default"];
        var style = EvokJsonStyle.Evok2;
        var words = new List<string>();
        string? site = null, redis = null, postgreSql = null, node = null, tlsCa = null, tlsCertificate = null, tlsKey = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--gateway-port" when i + 1 < args.Count && int.TryParse(args[i + 1], out var port):
                    gatewayPort = port;
                    i++;
                    break;
                case "--json-names" when i + 1 < args.Count:
                    style = args[++i] switch
                    {
                        "evok2" or "seed" => EvokJsonStyle.Evok2,
                        "evok3" => EvokJsonStyle.Evok3,
                        var other => throw new ArgumentException($"--json-names: expected 'evok2' or 'evok3', got '{other}'"),
                    };
                    break;
                case "--site" when i + 1 < args.Count:
                    site = args[++i];
                    break;
                case "--redis" when i + 1 < args.Count:
                    redis = args[++i];
                    break;
                case "--postgresql" when i + 1 < args.Count:
                    postgreSql = args[++i];
                    break;
                case "--tls-ca" when i + 1 < args.Count:
                    tlsCa = args[++i];
                    break;
                case "--tls-cert" when i + 1 < args.Count:
                    tlsCertificate = args[++i];
                    break;
                case "--tls-key" when i + 1 < args.Count:
                    tlsKey = args[++i];
                    break;
                case "--node" when i + 1 < args.Count:
                    node = args[++i];
                    break;
                case "--mask" when i + 1 < args.Count:
                    mask = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "--help" or "-h":
                    return new CliCommand("help", [], gatewayPort, mask);
                default:
                    words.Add(args[i]);
                    break;
            }
        }

        if (words.Count == 0)
        {
            throw new ArgumentException("no command given");
        }

        if ((site is null) != (redis is null && postgreSql is null) || (redis is not null && postgreSql is not null))
        {
            throw new ArgumentException("--site goes with one of --redis and --postgresql (cluster.site and cluster.membership.connection_string)");
        }

        var tlsGiven = new[] { tlsCa, tlsCertificate, tlsKey }.Count(option => option is not null);
        if (tlsGiven is not (0 or 3) || (tlsGiven == 3 && site is null))
        {
            throw new ArgumentException("--tls-ca, --tls-cert and --tls-key go together, with --site (cluster.tls)");
        }

        var command = new CliCommand(words[0], [.. words.Skip(1)], gatewayPort, mask)
        {
            Tls = tlsGiven == 3 ? new SiteTls(tlsCa!, tlsCertificate!, tlsKey!) : null,
            JsonStyle = style,
            Site = site is null ? null : (site, redis ?? postgreSql!, postgreSql is not null),
            Node = node,
        };
        var (min, max) = command.Verb switch
        {
            "list" => (0, 1),
            "get" => (2, 2),
            "set" => (3, int.MaxValue),
            "watch" => (0, 0),
            "token" => (3, 3),
            "nodes" => (0, 0),
            _ => throw new ArgumentException($"unknown command '{command.Verb}'"),
        };
        if (command.Operands.Length < min || command.Operands.Length > max)
        {
            throw new ArgumentException($"'{command.Verb}' takes {(min == max ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{min} or more")} operands");
        }

        if (command.Verb == "token" && (command.Operands[0] != "create" || command.Operands[2] is not ("read" or "write") ||
            !command.Operands[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException("expected: token create <name: letters, digits, - _ .> read|write");
        }

        if (command.Site is not null && command.Node is null && command.Verb is "list" or "get" or "set")
        {
            throw new ArgumentException($"'{command.Verb}' on a site needs --node <node> (see 'nodes')");
        }

        return command;
    }

    /// <summary>The assignments of <c>set</c>: a bare value means <c>value=</c>.</summary>
    public IEnumerable<PropertyAssignment> Assignments() => Operands.Skip(2).Select(operand =>
    {
        var equals = operand.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new PropertyAssignment(operand[..equals], operand[(equals + 1)..]) : new PropertyAssignment("value", operand);
    });
}
