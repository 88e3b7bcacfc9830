using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Site;

/// <summary>
/// The one owner of the silo's circuit aliases: the table, its rules (unique across the site, never a circuit's
/// name) and its file. The site grain changes it, pollers read a circuit's alias from it when they activate, and
/// nothing else keeps a copy, so no grain has to ask another grain for aliases while that one may be calling it.
/// The file is read once at start (a broken file stops the silo like a broken config); every change is written to a
/// temporary file and renamed over the old one, so a power cut leaves either the old or the new file.
/// </summary>
public sealed class AliasRegistry
{
    private readonly Lock _gate = new();
    private readonly SiteMap _site;
    private readonly string? _path;
    private readonly Dictionary<string, string> _aliasByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyByAlias = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _saving = new(1, 1);

    public AliasRegistry(SiteMap site)
    {
        _site = site;
        _path = site.Configuration.AliasFile;
        var evokFile = site.Configuration.EvokAliasFile;
        var source = _path is not null && File.Exists(_path) ? _path : evokFile is not null && File.Exists(evokFile) ? evokFile : null;
        var initial = source is not null ? AliasFileFormat.Parse(source, File.ReadAllText(source)) : ImmutableDictionary<string, string>.Empty;
        ImportedFrom = source is not null && source != _path ? source : null;
        foreach (var (key, alias) in initial)
        {
            if (site.FindCircuit(key) is not null || IsOneWire(key))
            {
                _aliasByKey[key] = alias;
                _keyByAlias[alias] = key;
            }
        }
    }

    /// <summary>Where Evok's aliases were imported from at start (ours did not exist yet); null when they were not.</summary>
    public string? ImportedFrom { get; }

    /// <summary>
    /// Saves an import from Evok's file as ours, and removes temporary files a crash mid-save left behind. Called
    /// once at start.
    /// </summary>
    public async Task InitializeAsync()
    {
        if (_path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        if (Directory.Exists(directory))
        {
            foreach (var stale in Directory.GetFiles(directory, Path.GetFileName(_path) + ".*tmp"))
            {
                File.Delete(stale);
            }
        }

        if (ImportedFrom is not null)
        {
            await SaveAsync(Snapshot());
        }
    }

    /// <summary>1-Wire devices are found at run time, so their aliases are kept whether or not the device is there yet.</summary>
    private static bool IsOneWire(string circuitKey) =>
        circuitKey.StartsWith(DeviceTypeNames.KeyPrefix(DeviceKind.Temperature) + ":", StringComparison.Ordinal) ||
        circuitKey.StartsWith(DeviceTypeNames.KeyPrefix(DeviceKind.OneWireBus) + ":", StringComparison.Ordinal);

    public string? AliasOf(string circuitKey)
    {
        lock (_gate)
        {
            return _aliasByKey.GetValueOrDefault(circuitKey);
        }
    }

    /// <summary>The circuit key an alias names, or null.</summary>
    public string? KeyOf(string alias)
    {
        lock (_gate)
        {
            return _keyByAlias.GetValueOrDefault(alias);
        }
    }

    public ImmutableDictionary<string, string> Snapshot()
    {
        lock (_gate)
        {
            return _aliasByKey.ToImmutableDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Gives a circuit an alias (empty removes it) and saves the file; refused with <see cref="DeviceWriteException"/>
    /// when another circuit holds it, it names a circuit, or it has bad characters.
    /// </summary>
    public async Task SetAsync(string circuitKey, string alias)
    {
        if (alias.Length > 0 && AliasRules.Problem(alias) is { } problem)
        {
            throw new DeviceWriteException("alias", problem);
        }

        if (alias.Length > 0 && _site.Boards.Any(board => board.Circuits.Any(circuit => circuit.Name == alias)))
        {
            throw new DeviceWriteException("alias", $"alias '{alias}' is the name of a circuit");
        }

        ImmutableDictionary<string, string> snapshot;
        lock (_gate)
        {
            if (alias.Length > 0 && _keyByAlias.TryGetValue(alias, out var holder) && holder != circuitKey)
            {
                throw new DeviceWriteException("alias", $"alias '{alias}' is already used by {holder}");
            }

            if (_aliasByKey.Remove(circuitKey, out var previous))
            {
                _keyByAlias.Remove(previous);
            }

            if (alias.Length > 0)
            {
                _aliasByKey[circuitKey] = alias;
                _keyByAlias[alias] = circuitKey;
            }

            snapshot = _aliasByKey.ToImmutableDictionary(StringComparer.Ordinal);
        }

        await SaveAsync(snapshot);
    }

    private async Task SaveAsync(ImmutableDictionary<string, string> aliases)
    {
        if (_path is null)
        {
            return;
        }

        await _saving.WaitAsync();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
            // Written, flushed to the disk, then renamed over the old file: a power cut leaves the old or the new one.
            var temporary = $"{_path}.tmp";
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(AliasFileFormat.Render(aliases)));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            _saving.Release();
        }
    }
}
