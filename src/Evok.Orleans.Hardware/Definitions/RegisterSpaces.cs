using System.Collections.Immutable;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Definitions;

/// <summary>Where a feature's registers lie in the board's register image: holding ones at their address, input ones shifted.</summary>
internal sealed class RegisterSpaces(ImmutableArray<RegisterBlock> blocks, int inputOffset)
{
    public int InputOffset => inputOffset;

    /// <summary>Whether a feature says <c>reg_type: input</c> (anything else but <c>holding</c> is an error).</summary>
    public bool IsInput(YamlSection feature) => (feature.OptionalString("reg_type")?.ToLowerInvariant() ?? "holding") switch
    {
        "holding" => false,
        "input" => true,
        var other => throw feature.Error("reg_type", $"expected 'holding' or 'input', got '{other}'"),
    };

    /// <summary>
    /// The image offset of a feature's registers: its <c>reg_type</c> if it says one, else the kind of block that holds
    /// <paramref name="register"/> (holding when both do).
    /// </summary>
    public int ImageOffset(YamlSection feature, int register)
    {
        if (feature.Has("reg_type"))
        {
            return IsInput(feature) ? inputOffset : 0;
        }

        return blocks.Any(block => block.Kind == RegisterBlockKind.Holding && block.Start <= register && register < block.End) ? 0 : inputOffset;
    }
}
