using System.Collections.Frozen;
using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// Evok's alias file. Reads both of its versions: <c>'2.0'</c>, <c>aliases: {name: {circuit: "2_04", devtype: ro}}</c>
/// (also with the unquoted <c>version: 2.0</c> Evok 2 wrote, which Evok itself then ignores), and <c>'1.0'</c>, a
/// list of <c>{name, circuit, dev_type}</c>; numeric devtypes of old files are upgraded as Evok does. Every name is
/// checked against the alias rules, so a file edited by hand cannot smuggle in a name the API would refuse. Written
/// as version 2.0 through YAMLDotNet's emitter, so any name is quoted correctly. Works on circuit keys
/// (<c>relay:2_04</c>) so that a name cannot point at two circuits.
/// </summary>
public static class AliasFileFormat
{
    // Evok's numeric device types (devices.py), for files written before it switched to names.
    private static readonly FrozenDictionary<string, string> NumericTypes = new Dictionary<string, string>
    {
        ["0"] = "ro",
        ["1"] = "di",
        ["2"] = "ai",
        ["3"] = "ao",
        ["5"] = "sensor",
        ["8"] = "owbus",
        ["15"] = "modbus_slave",
        ["17"] = "do",
        ["18"] = "led",
        ["19"] = "watchdog",
        ["20"] = "register",
        ["24"] = "data_point",
        ["29"] = "owpower",
    }.ToFrozenDictionary();

    public static ImmutableDictionary<string, string> Parse(string file, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var root = YamlSection.Parse(file, text);
        var aliases = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (root.OptionalString("version") is "1.0" or "1")
        {
            foreach (var entry in root.SectionList("aliases"))
            {
                Add(aliases, entry, entry.RequiredString("name"), "dev_type");
            }
        }
        else
        {
            foreach (var (alias, entry) in root.OptionalSection("aliases")?.Entries() ?? [])
            {
                Add(aliases, entry, alias, "devtype");
            }
        }

        return aliases.ToImmutable();
    }

    /// <summary>The file text for circuit key → alias, sorted by alias so the file diffs well.</summary>
    public static string Render(IEnumerable<KeyValuePair<string, string>> aliases)
    {
        var entries = new YamlMappingNode();
        foreach (var (key, alias) in aliases.OrderBy(pair => pair.Value, StringComparer.Ordinal))
        {
            var separator = key.IndexOf(':', StringComparison.Ordinal);
            entries.Add(Quoted(alias), new YamlMappingNode(
                new YamlScalarNode("circuit"), Quoted(key[(separator + 1)..]),
                new YamlScalarNode("devtype"), new YamlScalarNode(key[..separator])));
        }

        var root = new YamlMappingNode(new YamlScalarNode("version"), Quoted("2.0"), new YamlScalarNode("aliases"), entries);
        var text = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);

        // The emitter closes the document with "...": valid, but noise in a file people read.
        var yaml = text.ToString();
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
    }

    private static void Add(ImmutableDictionary<string, string>.Builder aliases, YamlSection entry, string alias, string typeKey)
    {
        if (AliasRules.Problem(alias) is { } problem)
        {
            throw entry.Error(typeKey, problem);
        }

        var type = entry.RequiredString(typeKey);
        type = NumericTypes.GetValueOrDefault(type, type);
        if (!DeviceTypeNames.TryResolve(type, out var kinds) || kinds.Count == 0)
        {
            throw entry.Error(typeKey, $"unknown device type '{type}'");
        }

        var key = DeviceTypeNames.CircuitKey(kinds[0], entry.RequiredString("circuit"));
        if (aliases.ContainsKey(key))
        {
            throw entry.Error("circuit", $"{key} has two aliases in this file");
        }

        if (aliases.ContainsValue(alias))
        {
            throw entry.Error("circuit", $"alias '{alias}' is given twice in this file");
        }

        aliases[key] = alias;
    }

    private static YamlScalarNode Quoted(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };
}
