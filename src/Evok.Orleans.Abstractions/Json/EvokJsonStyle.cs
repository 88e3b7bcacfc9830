namespace Evok.Orleans.Abstractions.Json;

/// <summary>Which generation of Evok's device JSON to produce.</summary>
[GenerateSerializer, Alias("evok.EvokJsonStyle")]
public enum EvokJsonStyle
{
    /// <summary>
    /// Evok 2's names (<c>json_names: evok2</c>, or <c>seed</c>, the document this product was made from, which speaks
    /// them): <c>dev</c> is relay/input, with <c>relay_type</c> and <c>glob_dev_id</c>.
    /// </summary>
    Evok2 = 0,

    /// <summary>Evok 3's names: <c>dev</c> is ro/do/di, no <c>relay_type</c>, no <c>glob_dev_id</c>.</summary>
    Evok3 = 1,
}
