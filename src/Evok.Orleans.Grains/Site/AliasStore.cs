using System.Collections.Immutable;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Grains.Site;

/// <summary>
/// The silo's alias file. Read once at start (a broken file stops the silo like a broken config); every change is
/// written to a temporary file and renamed over the old one, so a power cut leaves either the old or the new file.
/// </summary>
public sealed class AliasStore
{
    private readonly string? _path;

    public AliasStore(SiteConfiguration site)
    {
        _path = site.AliasFile;
        Initial = _path is not null && File.Exists(_path)
            ? AliasFileFormat.Parse(_path, File.ReadAllText(_path))
            : ImmutableDictionary<string, string>.Empty;
    }

    /// <summary>Circuit key → alias as the file held them at start.</summary>
    public ImmutableDictionary<string, string> Initial { get; }

    public async Task SaveAsync(IEnumerable<KeyValuePair<string, string>> aliases)
    {
        if (_path is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temporary = $"{_path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, AliasFileFormat.Render(aliases));
        File.Move(temporary, _path, overwrite: true);
    }
}
