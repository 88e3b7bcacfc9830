using System.Collections.Concurrent;

namespace Evok.Orleans.Hardware.Definitions;

/// <summary>
/// Finds <c>&lt;model&gt;.yaml</c> in the given folders, then among the definitions built into this assembly.
/// Each model is parsed once.
/// </summary>
public sealed class HardwareDefinitionCatalog(params IEnumerable<string> folders)
{
    private const string BuiltInPrefix = "hw_definitions/";
    private readonly IReadOnlyList<string> _folders = [.. folders];
    private readonly ConcurrentDictionary<string, BoardDefinition?> _cache = new(StringComparer.Ordinal);

    /// <summary>Models built into the server.</summary>
    public static IEnumerable<string> BuiltInModels =>
        typeof(HardwareDefinitionCatalog).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(BuiltInPrefix, StringComparison.Ordinal))
            .Select(name => Path.GetFileNameWithoutExtension(name[BuiltInPrefix.Length..]));

    /// <summary>The definition of a model, or null when no folder and no built-in definition has it.</summary>
    public BoardDefinition? Find(string model) => _cache.GetOrAdd(model, Load, this);

    private static BoardDefinition? Load(string model, HardwareDefinitionCatalog catalog)
    {
        if (model.IndexOfAny(['/', '\\']) >= 0 || model.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var folder in catalog._folders)
        {
            var path = Path.Combine(folder, model + ".yaml");
            if (File.Exists(path))
            {
                return BoardDefinitionParser.Parse(model, path, File.ReadAllText(path));
            }
        }

        using var stream = typeof(HardwareDefinitionCatalog).Assembly.GetManifestResourceStream(BuiltInPrefix + model + ".yaml");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return BoardDefinitionParser.Parse(model, $"{BoardDefinition.BuiltInSourcePrefix}{BuiltInPrefix}{model}.yaml", reader.ReadToEnd());
    }
}
