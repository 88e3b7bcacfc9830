namespace Evok.Orleans.Abstractions.Json;

/// <summary>Which generation of Evok's device JSON to produce.</summary>
[GenerateSerializer, Alias("evok.EvokJsonStyle")]
public enum EvokJsonStyle
{
    /// <summary>The webhook seed's form: <c>dev</c> is relay/input, with <c>relay_type</c> and <c>glob_dev_id</c>.</summary>
    Seed = 0,

    /// <summary>Current Evok: <c>dev</c> is ro/do/di, no <c>relay_type</c>, no <c>glob_dev_id</c>.</summary>
    Current = 1,
}
