using System.Globalization;
using Evok.Orleans.Hardware.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Evok.Orleans.Hardware.Yaml;

/// <summary>
/// A YAML mapping read key by key, so that every error can name the file, the line and the dotted key path.
/// YAML 1.1 booleans (yes/no/on/off) are accepted because Evok's configs are read by PyYAML. Every section of a
/// document remembers which values were asked for, so that what no parser read is warned about
/// (<see cref="WarnUnread"/>) without a second list of the keys each parser knows.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;

    // After a merge of two files: the file each node came from, where it is not this section's file.
    private readonly Dictionary<YamlNode, string>? _origins;

    // The values asked for so far, shared by every section of one document.
    private readonly HashSet<YamlNode> _read;

    private YamlSection(string file, YamlMappingNode node, string path, HashSet<YamlNode> read, Dictionary<YamlNode, string>? origins = null)
    {
        File = origins?.GetValueOrDefault(node) ?? file;
        _node = node;
        Path = path;
        _read = read;
        _origins = origins;
    }

    public string File { get; }

    public string Path { get; }

    public int Line => (int)_node.Start.Line;

    /// <summary>Parses a whole YAML document whose root must be a mapping.</summary>
    public static YamlSection Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            RefuseComplexKeys(file, text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            var reason = exception.InnerException?.Message ?? exception.Message;
            throw new ConfigurationException(file, (int)exception.Start.Line, "(yaml)", $"invalid YAML: {FirstSentence(reason)}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var line = stream.Documents.Count == 0 ? 1 : (int)stream.Documents[0].RootNode.Start.Line;
            throw new ConfigurationException(file, line, "(root)", "expected a mapping of keys at the top level");
        }

        return new YamlSection(file, root, string.Empty, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
    }

    /// <summary>
    /// Evok's <c>autogen</c>: this document (the root) merged over <paramref name="baseFile"/> (mappings key by key,
    /// anything else replaced). Every error still names the file and line the offending key came from, and what was
    /// read of this document stays read.
    /// </summary>
    public YamlSection MergedOver(string baseFile, string baseText)
    {
        var below = Parse(baseFile, baseText);
        var origins = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        MergeUnder(below._node, _node, baseFile, origins);
        return new YamlSection(File, _node, string.Empty, _read, origins);
    }

    /// <summary>Merges <paramref name="below"/> into <paramref name="above"/>, in Python's order: below's keys first.</summary>
    private static void MergeUnder(YamlMappingNode below, YamlMappingNode above, string baseFile, Dictionary<YamlNode, string> origins)
    {
        var aboveEntries = above.Children.ToList();
        above.Children.Clear();
        foreach (var (key, value) in below.Children)
        {
            var existing = aboveEntries.FirstOrDefault(entry => entry.Key.Equals(key)).Value;
            if (existing is null)
            {
                above.Children.Add(key, value);
                foreach (var node in value.AllNodes)
                {
                    origins[node] = baseFile;
                }

                continue;
            }

            if (existing is YamlMappingNode aboveMapping && value is YamlMappingNode belowMapping)
            {
                MergeUnder(belowMapping, aboveMapping, baseFile, origins);
            }

            above.Children.Add(key, existing);
        }

        foreach (var (key, value) in aboveEntries.Where(entry => !above.Children.ContainsKey(entry.Key)))
        {
            above.Children.Add(key, value);
        }
    }

    public bool Has(string key) => Find(key) is not null;

    /// <summary>
    /// Refuses a list, a mapping or an alias as a mapping key before the document is built: nothing in Evok's files
    /// is keyed so, and building such a key hashes its whole content, which an alias bomb of a few hundred bytes makes
    /// take forever.
    /// </summary>
    private static void RefuseComplexKeys(string file, string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(bool Mapping, bool AtKey)>();
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is MappingEnd or SequenceEnd)
            {
                open.Pop();
                continue;
            }

            if (current is not (MappingStart or SequenceStart or YamlDotNet.Core.Events.Scalar or AnchorAlias))
            {
                continue;
            }

            if (open.TryPeek(out var parent) && parent.Mapping)
            {
                if (parent.AtKey && current is not YamlDotNet.Core.Events.Scalar)
                {
                    throw new ConfigurationException(file, (int)current.Start.Line, "(yaml)", "a key must be a plain name, not a list, a mapping or an alias");
                }

                // Keys and values alternate in a mapping.
                open.Pop();
                open.Push((true, !parent.AtKey));
            }

            if (current is MappingStart)
            {
                open.Push((true, true));
            }
            else if (current is SequenceStart)
            {
                open.Push((false, false));
            }
        }
    }

    /// <summary>
    /// One warning (file:line: key) for every key below this section that nothing asked for, once the document has
    /// been parsed: Evok ignores unknown keys, so a misspelt one would otherwise go unnoticed.
    /// </summary>
    public void WarnUnread(ICollection<string> warnings) => WarnUnreadBelow(_node, Path, warnings);

    /// <summary>Everything below this section counts as read: a part the parser skips on purpose (<c>enabled: false</c>).</summary>
    public void Skip() => _read.UnionWith(_node.AllNodes);

    private void WarnUnreadBelow(YamlMappingNode mapping, string path, ICollection<string> warnings)
    {
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            var child = path.Length == 0 ? name : $"{path}.{name}";
            if (!_read.Contains(value))
            {
                warnings.Add($"{_origins?.GetValueOrDefault(key) ?? File}:{key.Start.Line}: {child}: not a key Evok or Evok.Orleans knows; ignored");
            }
            else if (value is YamlMappingNode inner)
            {
                WarnUnreadBelow(inner, child, warnings);
            }
            else if (value is YamlSequenceNode sequence)
            {
                foreach (var (item, index) in sequence.Children.Select((item, index) => (item, index)))
                {
                    if (item is YamlMappingNode itemMapping)
                    {
                        WarnUnreadBelow(itemMapping, $"{child}[{index}]", warnings);
                    }
                }
            }
        }
    }

    public string? OptionalString(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw ErrorAt(other, key, "expected a single value"),
    };

    public string RequiredString(string key) =>
        OptionalString(key) is { Length: > 0 } value ? value : throw Missing(key);

    public int Integer(string key, int fallback, int min, int max)
    {
        var node = Find(key);
        if (node is null || (node is YamlScalarNode nullScalar && IsNull(nullScalar)))
        {
            return fallback;
        }

        return ParseInteger(node, key, min, max);
    }

    public int RequiredInteger(string key, int min, int max) =>
        Find(key) is { } node ? ParseInteger(node, key, min, max) : throw Missing(key);

    public double Number(string key, double fallback, double min, double max)
    {
        var node = Find(key);
        if (node is null || (node is YamlScalarNode nullScalar && IsNull(nullScalar)))
        {
            return fallback;
        }

        var text = Scalar(node, key);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw ErrorAt(node, key, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
        }

        return value;
    }

    public bool Boolean(string key, bool fallback)
    {
        var node = Find(key);
        if (node is null || (node is YamlScalarNode nullScalar && IsNull(nullScalar)))
        {
            return fallback;
        }

        return Scalar(node, key).ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            var other => throw ErrorAt(node, key, $"expected true or false, got '{other}'"),
        };
    }

    public YamlSection? OptionalSection(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlMappingNode mapping => new YamlSection(File, mapping, Child(key), _read, _origins),
        var other => throw ErrorAt(other, key, "expected a mapping of keys"),
    };

    /// <summary>The entries of a mapping whose values are themselves mappings (e.g. comm_channels).</summary>
    public IEnumerable<(string Name, YamlSection Section)> Entries()
    {
        foreach (var (keyNode, valueNode) in _node.Children)
        {
            if (keyNode is not YamlScalarNode scalarKey)
            {
                throw ErrorAt(keyNode, "?", "expected a plain name as key, not a list or mapping");
            }

            var name = scalarKey.Value ?? string.Empty;
            if (valueNode is not YamlMappingNode mapping)
            {
                throw ErrorAt(valueNode, name, "expected a mapping of keys");
            }

            _read.Add(mapping);
            yield return (name, new YamlSection(File, mapping, Child(name), _read, _origins));
        }
    }

    /// <summary>Items of a sequence that must be mappings (e.g. modbus_features).</summary>
    public IReadOnlyList<YamlSection> SectionList(string key)
    {
        var node = Find(key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw ErrorAt(node, key, "expected a list");
        }

        return sequence.Children.Select((item, index) => item is YamlMappingNode mapping
            ? new YamlSection(File, mapping, $"{Child(key)}[{index}]", _read, _origins)
            : throw ErrorAt(item, $"{key}[{index}]", "expected a mapping of keys")).ToList();
    }

    /// <summary>A list of scalars; null when the key is absent.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw ErrorAt(node, key, "expected a list");
        }

        return sequence.Children.Select((item, index) => Scalar(item, $"{key}[{index}]")).ToList();
    }

    /// <summary>True when the key holds a list.</summary>
    public bool IsList(string key) => Find(key) is YamlSequenceNode;

    /// <summary>True when the key holds a mapping rather than a list (current-format analog modes).</summary>
    public bool IsMapping(string key) => Find(key) is YamlMappingNode;

    public ConfigurationException Error(string key, string problem) =>
        Find(key) is { } node ? ErrorAt(node, key, problem) : new ConfigurationException(File, Line, Child(key), problem);

    public ConfigurationException Missing(string key) =>
        new(File, Line, Child(key), "required key is missing");

    public int LineOf(string key) => Find(key) is { } node ? (int)node.Start.Line : Line;

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? text[..end] : text).Trim().TrimEnd('.');
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private YamlNode? Find(string key)
    {
        if (!_node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return null;
        }

        _read.Add(value);
        return value;
    }

    private string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw ErrorAt(node, key, "expected a single value");

    private int ParseInteger(YamlNode node, string key, int min, int max)
    {
        var text = Scalar(node, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw ErrorAt(node, key, $"expected a whole number from {min} to {max}, got '{text}'");
        }

        return value;
    }

    private ConfigurationException ErrorAt(YamlNode node, string key, string problem) =>
        new(_origins?.GetValueOrDefault(node) ?? File, (int)node.Start.Line, Child(key), problem);
}
