using System.Collections.Immutable;
using System.Text;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Evok's v2 alias file: <c>version: "2.0"</c> and <c>aliases: {name: {circuit: "2_04", devtype: "relay"}}</c>.
/// Works on circuit keys (<c>relay:2_04</c>) so that a name cannot point at two circuits.
/// </summary>
public static class AliasFileFormat
{
    public static ImmutableDictionary<string, string> Parse(string file, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var root = YamlSection.Parse(file, text);
        var aliases = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (alias, entry) in root.OptionalSection("aliases")?.Entries() ?? [])
        {
            var type = entry.RequiredString("devtype");
            if (!DeviceTypeNames.TryResolve(type, out var kinds) || kinds.Count == 0)
            {
                throw entry.Error("devtype", $"unknown device type '{type}'");
            }

            aliases[DeviceTypeNames.CircuitKey(kinds[0], entry.RequiredString("circuit"))] = alias;
        }

        return aliases.ToImmutable();
    }

    /// <summary>The file text for circuit key → alias, sorted by alias so the file diffs well.</summary>
    public static string Render(IEnumerable<KeyValuePair<string, string>> aliases)
    {
        var text = new StringBuilder("version: \"2.0\"\naliases:\n");
        foreach (var (key, alias) in aliases.OrderBy(pair => pair.Value, StringComparer.Ordinal))
        {
            var separator = key.IndexOf(':', StringComparison.Ordinal);
            text.Append("  \"").Append(alias).Append("\":\n")
                .Append("    circuit: \"").Append(key[(separator + 1)..]).Append("\"\n")
                .Append("    devtype: ").Append(key[..separator]).Append('\n');
        }

        return text.ToString();
    }
}
