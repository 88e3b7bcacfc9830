using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.UnitTests.Hardware;

public sealed class DecodingTests
{
    private readonly SeedBoards _boards = new();

    [Fact]
    public void Digital_input_reports_value_debounce_and_32_bit_counter()
    {
        _boards.ExtensionRegisters[0] = 0b0100;
        _boards.ExtensionRegisters[16 + 4] = 0x0002;
        _boards.ExtensionRegisters[16 + 5] = 0x0001;
        _boards.ExtensionRegisters[1010 + 2] = 50;

        var input = Assert.IsType<DigitalInputState>(_boards.Decode("input:2_03"));

        Assert.Equal(1, input.Value);
        Assert.Equal(65538, input.Counter);
        Assert.Equal(50, input.Debounce);
        Assert.Equal(
            """{"dev": "input", "circuit": "2_03", "value": 1, "debounce": 50, "counter_modes": ["Enabled", "Disabled"], "counter_mode": "Enabled", "counter": 65538, "mode": "Simple", "modes": ["Simple", "DirectSwitch"], "glob_dev_id": 3}""",
            input.ToJson());
    }

    [Theory]
    [InlineData(0, 0, "Simple")]
    [InlineData(1, 0, "Inverted")]
    [InlineData(0, 1, "Toggle")]
    public void Direct_switch_mode_comes_from_the_polarity_and_toggle_bits(int polarity, int toggle, string expected)
    {
        _boards.ExtensionRegisters[1016] = 0b0001;
        _boards.ExtensionRegisters[1017] = (ushort)polarity;
        _boards.ExtensionRegisters[1018] = (ushort)toggle;

        var input = Assert.IsType<DigitalInputState>(_boards.Decode("input:2_01"));

        Assert.Equal("DirectSwitch", input.Mode);
        Assert.Equal(expected, input.DirectSwitchMode);
        Assert.EndsWith($"\"glob_dev_id\": 3, \"ds_mode\": \"{expected}\", \"ds_modes\": [\"Simple\", \"Inverted\", \"Toggle\"]}}", input.ToJson());
    }

    [Fact]
    public void Analog_input_takes_unit_and_range_from_its_mode_register()
    {
        _boards.SetFloat(_boards.ExtensionRegisters, 6 + 2, 12.3456f);
        _boards.ExtensionRegisters[1019 + 1] = 1;

        var input = Assert.IsType<AnalogInputState>(_boards.Decode("ai:2_02"));

        Assert.Equal(12.346, input.Value);
        Assert.Equal("Current", input.Mode);
        Assert.Equal("mA", input.Unit);
        Assert.Equal(new ModeRange(0, 20), input.Range);
    }

    [Fact]
    public void Brain_output_in_resistance_mode_reads_the_resistance_registers()
    {
        _boards.BrainRegisters[1019] = 2;
        _boards.SetFloat(_boards.BrainRegisters, 3004, 1234.5f);

        var output = Assert.IsType<AnalogOutputState>(_boards.Decode("ao:1_01"));

        Assert.Equal("Resistance", output.Mode);
        Assert.Equal("Ohm", output.Unit);
        Assert.Equal(1234.5, output.Value);
    }

    [Fact]
    public void Pwm_duty_is_a_percentage_of_the_cycle_and_switches_the_mode()
    {
        _boards.BrainRegisters[1018] = 9999;
        _boards.BrainRegisters[1017] = 1;
        _boards.BrainRegisters[16] = 2500;

        var output = Assert.IsType<RelayState>(_boards.Decode("relay:1_01"));

        Assert.Equal("PWM", output.Mode);
        Assert.Equal(25.0, output.PwmDuty);
        Assert.Equal(2400.0, output.PwmFrequency);
        Assert.EndsWith("\"pwm_freq\": 2400.0, \"pwm_duty\": 25.0}", output.ToJson());
    }

    [Fact]
    public void Watchdog_and_register_and_led_decode_their_registers()
    {
        _boards.BrainRegisters[6] = 0b11;
        _boards.BrainRegisters[1008] = 5000;
        _boards.BrainRegisters[20] = 0b1000;
        _boards.BrainRegisters[1000] = 517;

        Assert.Equal(
            """{"dev": "wd", "circuit": "1_01", "value": 3, "timeout": 5000, "was_wd_reset": 1, "nv_save": 0, "glob_dev_id": 2}""",
            _boards.Decode("wd:1_01").ToJson());
        Assert.Equal("""{"dev": "led", "circuit": "1_04", "value": 1, "glob_dev_id": 2}""", _boards.Decode("led:1_04").ToJson());
        Assert.Equal("""{"dev": "register", "circuit": "1_1000", "value": 517, "glob_dev_id": 2}""", _boards.Decode("register:1_1000").ToJson());
    }

    [Fact]
    public void Current_evok_style_names_the_type_and_drops_the_seed_era_keys()
    {
        _boards.ExtensionRegisters[1] = 1 << 3;

        Assert.Equal(
            """{"dev": "ro", "circuit": "2_04", "value": 1, "pending": false, "mode": "Simple", "modes": ["Simple"]}""",
            _boards.Decode("relay:2_04").ToJson(EvokJsonStyle.Evok3));
    }

    [Fact]
    public void An_alias_is_appended_as_the_last_key()
    {
        var state = _boards.Decode("led:1_01") with { Alias = "front_lamp" };

        Assert.Equal("""{"dev": "led", "circuit": "1_01", "value": 0, "glob_dev_id": 2, "alias": "front_lamp"}""", state.ToJson());
    }

    [Fact]
    public void Decoding_the_same_registers_twice_gives_equal_states()
    {
        _boards.SetFloat(_boards.ExtensionRegisters, 6, 3.3f);

        Assert.Equal(_boards.Decode("ai:2_01"), _boards.Decode("ai:2_01"));
        Assert.Equal(_boards.Decode("input:2_01"), _boards.Decode("input:2_01"));

        var before = _boards.Decode("ai:2_01");
        _boards.SetFloat(_boards.ExtensionRegisters, 6, 3.4f);
        Assert.NotEqual(before, _boards.Decode("ai:2_01"));
    }

    [Fact]
    public void Circuits_are_indexed_by_the_registers_they_read()
    {
        var relayValueUsers = _boards.Extension.CircuitsUsing(1).Select(o => _boards.Extension.Circuits[o].Key).ToList();

        Assert.Contains("relay:2_01", relayValueUsers);
        Assert.Contains("relay:2_05", relayValueUsers);
        Assert.Contains("register:2_1", relayValueUsers);
        Assert.DoesNotContain("input:2_01", relayValueUsers);
    }
}
