using System.Text.RegularExpressions;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>What an alias may look like: letters, digits, '_', '.' and '-' (uniqueness is the site grain's to check).</summary>
public static partial class AliasRules
{
    /// <summary>Why <paramref name="alias"/> cannot be an alias, or null when it can (empty removes an alias).</summary>
    public static string? Problem(string alias) => alias switch
    {
        "" => null,
        "all" => "alias 'all' would be read as the list of all devices (GET /rest/<type>/all)",
        _ when !AliasPattern().IsMatch(alias) => $"alias '{alias}' may hold only letters, digits, '_', '.' and '-'",
        _ => null,
    };

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex AliasPattern();
}
