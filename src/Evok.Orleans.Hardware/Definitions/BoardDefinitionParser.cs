using System.Collections.Immutable;
using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Features;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Definitions;

/// <summary>
/// Reads a hardware definition (<c>hw_definitions/&lt;model&gt;.yaml</c>). The current format is the contract; Evok's
/// older files load too (analog <c>modes</c> as a plain list, the brain AO as <c>type: AO</c> with <c>res_val_reg</c>).
/// </summary>
public static class BoardDefinitionParser
{
    private const int MaxRegister = ushort.MaxValue;
    private static readonly ImmutableArray<string> DefaultDirectSwitchModes = ["Simple", "Inverted", "Toggle"];

    public static BoardDefinition Parse(string model, string file, string text)
    {
        var root = YamlSection.Parse(file, text);
        var blocks = root.SectionList("modbus_register_blocks").Select(ParseBlock).ToImmutableArray();
        if (blocks.IsEmpty)
        {
            throw root.Error("modbus_register_blocks", "a definition needs at least one register block");
        }

        var inputOffset = InputImageOffset(blocks);
        blocks = [.. blocks.Select(block => block.Kind == RegisterBlockKind.Input ? block with { ImageStart = block.Start + inputOffset } : block)];

        var warnings = ImmutableArray.CreateBuilder<string>();
        var features = ImmutableArray.CreateBuilder<Feature>();
        foreach (var section in root.SectionList("modbus_features"))
        {
            var feature = ParseFeature(section, new RegisterSpaces(blocks, inputOffset));
            if (feature is null)
            {
                warnings.Add($"{file}:{section.Line}: {section.Path}: feature type '{section.OptionalString("type")}' is not supported; skipped");
                continue;
            }

            EnsureInsideBlocks(section, feature, blocks);
            features.Add(feature);
        }

        return new BoardDefinition(model, file, blocks, features.ToImmutable(), warnings.ToImmutable()) { Format = FormatOf(root) };
    }

    /// <summary>What the file's features tell of its format: Evok 3 wins when both are seen (a file edited by hand).</summary>
    private static DefinitionFormat FormatOf(YamlSection root)
    {
        var format = DefinitionFormat.Either;
        foreach (var section in root.SectionList("modbus_features"))
        {
            var type = section.OptionalString("type")?.ToUpperInvariant();
            if (type is "BAO" or "OWPOWER" || (type is "AI" or "AO" && section.Has("modes") && section.IsMapping("modes")))
            {
                return DefinitionFormat.Evok3;
            }

            if ((type == "AO" && section.Has("res_val_reg")) || (type is "AI" or "AO" && section.Has("modes") && !section.IsMapping("modes")))
            {
                format = DefinitionFormat.Evok2;
            }
        }

        return format;
    }

    private static RegisterBlock ParseBlock(YamlSection section)
    {
        var start = section.RequiredInteger("start_reg", 0, MaxRegister);
        var count = section.RequiredInteger("count", 1, 125);
        if (start + count > MaxRegister + 1)
        {
            throw section.Error("count", $"block {start}+{count} runs past register {MaxRegister}");
        }

        var kind = (section.OptionalString("type") ?? "holding").ToLowerInvariant() switch
        {
            "holding" => RegisterBlockKind.Holding,
            "input" => RegisterBlockKind.Input,
            var other => throw section.Error("type", $"expected 'holding' or 'input', got '{other}'"),
        };
        return new RegisterBlock(start, count, section.Integer("frequency", 1, 1, 1_000_000), kind);
    }

    /// <summary>
    /// 0 when input and holding blocks do not overlap (every Unipi definition), so the image is as small as the
    /// registers read; else the input registers go past the holding ones.
    /// </summary>
    private static int InputImageOffset(ImmutableArray<RegisterBlock> blocks)
    {
        var holding = blocks.Where(block => block.Kind == RegisterBlockKind.Holding).ToList();
        var overlap = blocks.Any(input => input.Kind == RegisterBlockKind.Input &&
            holding.Any(block => input.Start < block.End && block.Start < input.End));
        return overlap ? holding.Max(block => block.End) : 0;
    }

    private static Feature? ParseFeature(YamlSection s, RegisterSpaces spaces)
    {
        var type = s.RequiredString("type").ToUpperInvariant();
        var line = s.Line;
        if (type is "OWPOWER" or "NV_SAVE")
        {
            // One coil per board, so Evok's definitions give it no count.
            return new CoilFeature(type == "OWPOWER" ? DeviceKind.OwPower : DeviceKind.NvSave, line, Register(s, "val_coil"));
        }

        // Read only by the types served here: Evok's EXT_CONFIG, for one, has no count.
        int count = type is "DI" or "RO" or "DO" or "AO" or "BAO" or "AI" or "AI18" or "LED" or "WD" or "REGISTER" ? s.RequiredInteger("count", 1, 4096) : 0;
        if (type is "DATA_POINT" or "UNIT_REGISTER")
        {
            // Evok 2's name for the same feature; Evok 3 renamed it (and since ignores the old name). Without
            // reg_type Evok 3 reads holding registers, Evok 2 input ones: the block that holds the register decides.
            var valueRegister = Register(s, "value_reg");
            var imageOffset = spaces.ImageOffset(s, valueRegister);
            return new DataPointFeature(s.Integer("count", 1, 1, 4096), line, imageOffset, new DataPointFormat(
                valueRegister,
                s.OptionalString("datatype")?.ToLowerInvariant(),
                s.Number("factor", 1, double.MinValue, double.MaxValue),
                s.Number("offset", 0, double.MinValue, double.MaxValue))
            {
                Name = s.OptionalString("name"),
                Unit = s.OptionalString("unit"),
                ValidMaskRegister = OptionalRegister(s, "valid_mask_reg"),
            });
        }

        switch (type)
        {
            case "DI":
                DirectSwitchRegisters? directSwitch = null;
                if (s.Has("direct_reg"))
                {
                    directSwitch = new DirectSwitchRegisters(
                        Register(s, "direct_reg"), Register(s, "polar_reg"), Register(s, "toggle_reg"));
                }

                return new DigitalInputFeature(
                    count,
                    line,
                    Names(s, "modes", directSwitch is null ? ["Simple"] : ["Simple", "DirectSwitch"]),
                    Names(s, "ds_modes", DefaultDirectSwitchModes),
                    Register(s, "val_reg"),
                    OptionalRegister(s, "counter_reg"),
                    OptionalRegister(s, "deboun_reg"),
                    directSwitch);
            case "RO":
            case "DO":
                var pwm = Pwm(s);

                return new RelayFeature(
                    type == "DO",
                    count,
                    line,
                    Names(s, "modes", pwm is null ? ["Simple"] : ["Simple", "PWM"]),
                    Register(s, "val_reg"),
                    Register(s, "val_coil"),
                    pwm);
            case "AO" when s.Has("res_val_reg"):
            case "BAO":
                return new BrainAnalogOutputFeature(
                    count, line, Register(s, "val_reg"), Register(s, "res_val_reg"), Register(s, "mode_reg"));
            case "AO":
                return new AnalogOutputFeature(
                    count, line, AnalogModes(s), Register(s, "val_reg"), OptionalRegister(s, "mode_reg"));
            case "AI":
                return new AnalogInputFeature(
                    count, line, AnalogModes(s), Register(s, "val_reg"), OptionalRegister(s, "mode_reg"));
            case "AI18":
                return new AnalogInput18Feature(
                    count, line, Names(s, "modes", ["Voltage"]), Register(s, "val_reg"), Register(s, "mode_reg"));
            case "LED":
                return new LedFeature(count, line, Register(s, "val_reg"), Register(s, "val_coil"));
            case "WD":
                return new WatchdogFeature(
                    count, line, Register(s, "val_reg"), Register(s, "timeout_reg"), OptionalRegister(s, "reset_coil"), OptionalRegister(s, "nv_sav_coil"));
            case "REGISTER":
                // Evok reads start_reg; some of its own files (xS40) say val_reg.
                var start = Register(s, s.Has("start_reg") || !s.Has("val_reg") ? "start_reg" : "val_reg");
                return new RegisterFeature(count, line, start, spaces.IsInput(s) ? spaces.InputOffset : null);
            default:
                return null;
        }
    }

    private static void EnsureInsideBlocks(YamlSection section, Feature feature, ImmutableArray<RegisterBlock> blocks)
    {
        for (var index = 0; index < feature.Count; index++)
        {
            foreach (var register in feature.RegistersOf(index))
            {
                if (!blocks.Any(block => block.Contains(register)))
                {
                    throw new ConfigurationException(
                        section.File,
                        section.Line,
                        section.Path,
                        $"register {register} of {feature.Kind} circuit {index + 1} lies outside every modbus_register_blocks entry");
                }
            }
        }
    }

    /// <summary>
    /// A DO feature's PWM, by its keys as Evok tells them apart: <c>pwm_ps_reg</c> and <c>pwm_c_reg</c> (the brain's
    /// timer), or <c>pwm_preset_reg</c> and <c>pwm_cpres_reg</c> (the firmware's); none without <c>pwm_reg</c>.
    /// </summary>
    private static PwmControl? Pwm(YamlSection s)
    {
        if (!s.Has("pwm_reg"))
        {
            return null;
        }

        return s.Has("pwm_preset_reg") || s.Has("pwm_cpres_reg")
            ? new SoftwarePwm(Register(s, "pwm_reg"), Register(s, "pwm_preset_reg"), Register(s, "pwm_cpres_reg"))
            : new HardwarePwm(Register(s, "pwm_reg"), Register(s, "pwm_ps_reg"), Register(s, "pwm_c_reg"));
    }

    private static int Register(YamlSection s, string key) => s.RequiredInteger(key, 0, MaxRegister);

    private static int? OptionalRegister(YamlSection s, string key) =>
        s.Has(key) ? s.RequiredInteger(key, 0, MaxRegister) : null;

    private static ImmutableArray<string> Names(YamlSection s, string key, ImmutableArray<string> fallback) =>
        s.StringList(key) is { Count: > 0 } names ? [.. names] : fallback;

    private static ImmutableArray<AnalogMode> AnalogModes(YamlSection s)
    {
        if (!s.Has("modes"))
        {
            return [DefaultMode("Voltage", 0)];
        }

        if (!s.IsMapping("modes"))
        {
            // Evok's older format: names only, selected by their position.
            return [.. s.StringList("modes")!.Select((name, index) => DefaultMode(name, index))];
        }

        var modes = s.OptionalSection("modes")!.Entries().Select(entry =>
        {
            var (name, mode) = entry;
            return new AnalogMode(
                name,
                mode.Has("value") ? mode.RequiredInteger("value", 0, ushort.MaxValue) : null,
                mode.OptionalString("unit") ?? DefaultMode(name, 0).Unit,
                Range(mode));
        }).ToImmutableArray();
        return modes.IsEmpty ? throw s.Error("modes", "at least one mode is needed") : modes;
    }

    private static ModeRange? Range(YamlSection mode)
    {
        if (mode.StringList("range") is not { } bounds)
        {
            return null;
        }

        if (bounds.Count != 2 ||
            !double.TryParse(bounds[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min) ||
            !double.TryParse(bounds[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) ||
            min > max)
        {
            throw mode.Error("range", "expected [min, max] with min <= max");
        }

        return new ModeRange(min, max);
    }

    private static AnalogMode DefaultMode(string name, int registerValue) => name switch
    {
        "Current" => new AnalogMode(name, registerValue, "mA", new ModeRange(0, 20)),
        "Resistance" => new AnalogMode(name, registerValue, "Ohm", new ModeRange(0, 2000)),
        _ => new AnalogMode(name, registerValue, "V", new ModeRange(0, 10)),
    };
}
