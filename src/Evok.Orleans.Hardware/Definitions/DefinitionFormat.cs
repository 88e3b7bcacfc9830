namespace Evok.Orleans.Hardware.Definitions;

/// <summary>
/// Which of Evok's two definition formats a file is written in, as far as its features tell. The format changed with
/// Evok 3's device names (early 2024), so it also tells which names the controller's receivers expect.
/// </summary>
public enum DefinitionFormat
{
    /// <summary>Nothing in the file differs between the formats (a board of DIs and relays only, say).</summary>
    Either = 0,

    /// <summary>Evok 2's: analog <c>modes</c> as a plain list, the brain AO as <c>type: AO</c> with <c>res_val_reg</c>.</summary>
    Evok2 = 1,

    /// <summary>Evok 3's: analog <c>modes</c> as a mapping (value, unit, range), <c>BAO</c>, <c>OWPOWER</c>.</summary>
    Evok3 = 2,
}
