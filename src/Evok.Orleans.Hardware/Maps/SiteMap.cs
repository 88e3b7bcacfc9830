using System.Collections.Frozen;
using System.Collections.Immutable;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Hardware.Maps;

/// <summary>Every board map of a site, found by device name or by circuit key.</summary>
public sealed class SiteMap
{
    private readonly FrozenDictionary<string, BoardMap> _boards;
    private readonly FrozenDictionary<string, BoardMap> _boardsByCircuitKey;

    public SiteMap(SiteConfiguration configuration)
    {
        Configuration = configuration;
        var boards = configuration.Devices.Select(device => new BoardMap(device)).ToList();
        Boards = [.. boards];
        _boards = boards.ToFrozenDictionary(board => board.Name, StringComparer.Ordinal);

        var byKey = new Dictionary<string, BoardMap>(StringComparer.Ordinal);
        foreach (var board in boards)
        {
            foreach (var circuit in board.Circuits)
            {
                if (!byKey.TryAdd(circuit.Key, board))
                {
                    throw new ConfigurationException(
                        configuration.Source, 0, $"devices.{board.Name}", $"circuit {circuit.Key} is also produced by device '{byKey[circuit.Key].Name}'");
                }
            }
        }

        _boardsByCircuitKey = byKey.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public SiteConfiguration Configuration { get; }

    /// <summary>The board maps in config order.</summary>
    public ImmutableArray<BoardMap> Boards { get; }

    public BoardMap? FindBoard(string device) => _boards.GetValueOrDefault(device);

    /// <summary>The board and circuit behind a key like <c>relay:2_04</c>.</summary>
    public (BoardMap Board, Circuit Circuit)? FindCircuit(string key) =>
        _boardsByCircuitKey.TryGetValue(key, out var board) ? (board, board.FindCircuit(key)!) : null;
}
