namespace Evok.Orleans.Benchmarks;

/// <summary>
/// What a benchmark changes on the silo as shipped (the shipped unit's environment, a config with only the site's
/// buses and webhook, so every <c>apis</c> default as a user gets it): NAME=VALUE arguments; names starting with
/// <c>apis.</c> are keys of the config's <c>apis</c> section (<c>apis.orleans_dashboard=true</c>), the others are
/// added to the environment (<c>DOTNET_gcServer=1</c>), but <c>silo=PATH</c> runs another build of the silo program
/// (a worktree of an earlier commit: before/after side by side in one run).
/// </summary>
internal sealed record SiloSettings(IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> ApiKeys)
{
    private const string ApiPrefix = "apis.";
    private const string ProgramKey = "silo";

    /// <summary>The silo program's dll; null: this build's.</summary>
    public string? Program { get; init; }

    /// <summary>More comm channels of the config, each indented by two spaces as under <c>comm_channels</c>.</summary>
    public string ConfigChannels { get; init; } = string.Empty;

    /// <summary>Top-level sections added to the config (a <c>cluster</c> section: the silo as a node of a site).</summary>
    public string ConfigSections { get; init; } = string.Empty;

    public static SiloSettings AsShipped { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    public static SiloSettings Parse(IEnumerable<string> arguments)
    {
        var pairs = arguments.Select(arg => arg.Split('=', 2)).Where(pair => pair.Length == 2).ToList();
        return new SiloSettings(
            pairs.Where(pair => pair[0] != ProgramKey && !pair[0].StartsWith(ApiPrefix, StringComparison.Ordinal)).ToDictionary(pair => pair[0], pair => pair[1]),
            pairs.Where(pair => pair[0].StartsWith(ApiPrefix, StringComparison.Ordinal)).ToDictionary(pair => pair[0][ApiPrefix.Length..], pair => pair[1]))
        {
            Program = pairs.Where(pair => pair[0] == ProgramKey).Select(pair => pair[1]).LastOrDefault(),
        };
    }

    /// <summary>These settings with the <c>apis</c> key <paramref name="key"/> set to <paramref name="value"/> (YAML).</summary>
    public SiloSettings WithApiKey(string key, string value) =>
        this with { ApiKeys = new Dictionary<string, string>(ApiKeys) { [key] = value } };

    public override string ToString() =>
        string.Join(' ', (Program is null ? [] : new[] { $"{ProgramKey}={Program}" })
            .Concat(ConfigSections.Length == 0 ? [] : new[] { "cluster" })
            .Concat(ApiKeys.Select(key => $"{ApiPrefix}{key.Key}={key.Value}"))
            .Concat(Environment.Select(setting => $"{setting.Key}={setting.Value}")));
}
