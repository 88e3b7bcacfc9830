using System.Text.RegularExpressions;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>What an alias may look like: letters, digits, '_', '.' and '-' (uniqueness is the site grain's to check).</summary>
public static partial class AliasRules
{
    /// <summary>Why <paramref name="alias"/> cannot be an alias, or null when it can (empty removes an alias).</summary>
    public static string? Problem(string alias) =>
        alias.Length == 0 || AliasPattern().IsMatch(alias) ? null : $"alias '{alias}' may hold only letters, digits, '_', '.' and '-'";

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex AliasPattern();
}
