using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Writes;

namespace Evok.Orleans.UnitTests.Hardware;

public sealed class WriteEncodingTests
{
    private readonly SeedBoards _boards = new();

    [Fact]
    public void Relay_value_becomes_a_single_coil_write_at_val_coil_plus_index()
    {
        var write = Assert.Single(Encode("relay:2_04", "value", "1"));

        Assert.Equal(ModbusWriteKind.Coil, write.Kind);
        Assert.Equal(3, write.Address);
        Assert.Equal([(ushort)1], write.Values.ToArray());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("0.5")]
    [InlineData("on please")]
    public void Relay_value_other_than_0_or_1_is_refused(string value)
    {
        var error = Assert.Throws<DeviceWriteException>(() => Encode("relay:2_01", "value", value));

        Assert.Equal("value", error.Property);
    }

    [Theory]
    [InlineData("1.5", 600)]
    [InlineData("10", 4000)]
    [InlineData("0", 0)]
    [InlineData("3.3337", 1333)]
    public void Extension_analog_output_rounds_volts_to_the_nearest_2_5_mV_step(string volts, int raw)
    {
        var write = Assert.Single(Encode("ao:2_03", "value", volts));

        Assert.Equal(ModbusWriteKind.Register, write.Kind);
        Assert.Equal(2 + 2, write.Address);
        Assert.Equal(raw, write.Values[0]);
    }

    [Theory]
    [InlineData("10.01")]
    [InlineData("-0.1")]
    [InlineData("NaN")]
    [InlineData("five")]
    public void Analog_output_outside_its_mode_range_is_refused(string volts) =>
        Assert.Throws<DeviceWriteException>(() => Encode("ao:2_01", "value", volts));

    [Fact]
    public void Brain_analog_output_writes_a_float_low_word_first_and_its_mode_register()
    {
        var write = Assert.Single(Encode("ao:1_01", "value", "8.301"));
        var mode = Assert.Single(Encode("ao:1_01", "mode", "Current"));

        Assert.Equal(ModbusWriteKind.Registers, write.Kind);
        Assert.Equal(3000, write.Address);
        var bits = BitConverter.SingleToInt32Bits(8.301f);
        Assert.Equal([(ushort)(bits & 0xFFFF), (ushort)(bits >> 16)], write.Values.ToArray());
        Assert.Equal(ModbusWrite.Register(1019, 1).Values.ToArray(), mode.Values.ToArray());
        Assert.Equal(1019, mode.Address);
    }

    [Fact]
    public void The_pwm_frequency_is_shared_and_every_duty_keeps_its_percentage()
    {
        _boards.BrainRegisters[1017] = 0;
        _boards.BrainRegisters[1018] = 9999;
        _boards.BrainRegisters[16 + 2] = 5000;

        var writes = Encode("relay:1_01", "pwm_freq", "100");

        Assert.Equal((1017, (ushort)47), (writes[0].Address, writes[0].Values[0]));
        Assert.Equal((1018, (ushort)9999), (writes[1].Address, writes[1].Values[0]));
        var duty = Assert.Single(writes.Skip(2));
        Assert.Equal((18, (ushort)5000), (duty.Address, duty.Values[0]));
        Assert.Equal(2500, Assert.Single(Encode("relay:1_02", "pwm_duty", "25")).Values[0]);
    }

    [Fact]
    public void Direct_switch_settings_change_only_their_own_bit_of_the_shared_registers()
    {
        _boards.ExtensionRegisters[1016] = 0b1001;
        _boards.ExtensionRegisters[1017] = 0b0001;

        var enable = Assert.Single(Encode("input:2_02", "mode", "DirectSwitch"));
        var dsMode = Encode("input:2_02", "ds_mode", "Inverted");

        Assert.Equal((1016, (ushort)0b1011), (enable.Address, enable.Values[0]));
        Assert.Equal((1017, (ushort)0b0011), (dsMode[0].Address, dsMode[0].Values[0]));
        Assert.Equal(1018, dsMode[1].Address);
    }

    [Fact]
    public void Input_settings_encode_debounce_counter_and_refuse_a_value()
    {
        Assert.Equal((1010 + 3, (ushort)20), Single(Encode("input:2_04", "debounce", "20")));
        var counter = Assert.Single(Encode("input:2_01", "counter", "70000"));
        Assert.Equal([(ushort)(70000 & 0xFFFF), (ushort)1], counter.Values.ToArray());
        Assert.Throws<DeviceWriteException>(() => Encode("input:2_01", "value", "1"));
    }

    [Fact]
    public void Watchdog_reset_and_save_are_coil_commands()
    {
        Assert.Equal((1002, (ushort)1), Single(Encode("wd:2_01", "reset", "1")));
        Assert.Equal((1003, (ushort)1), Single(Encode("wd:2_01", "nv_save", "true")));
        Assert.Empty(Encode("wd:2_01", "reset", "0"));
        Assert.Equal((1008, (ushort)1500), Single(Encode("wd:2_01", "timeout", "1500")));
    }

    [Fact]
    public void Analog_input_mode_selects_the_mode_register_value()
    {
        Assert.Equal((1019 + 2, (ushort)3), Single(Encode("ai:2_03", "mode", "Resistance")));
        Assert.Throws<DeviceWriteException>(() => Encode("ai:2_03", "mode", "Frequency"));
    }

    [Fact]
    public void An_unknown_property_names_itself_in_the_error()
    {
        var error = Assert.Throws<DeviceWriteException>(() => Encode("led:1_01", "brightness", "3"));

        Assert.Equal("brightness", error.Property);
    }

    private static (int, ushort) Single(IReadOnlyList<ModbusWrite> writes)
    {
        var write = Assert.Single(writes);
        return (write.Address, write.Values[0]);
    }

    private IReadOnlyList<ModbusWrite> Encode(string key, string property, string value)
    {
        var (board, circuit) = _boards.Site.FindCircuit(key)!.Value;
        var registers = board == _boards.Brain ? _boards.BrainRegisters : _boards.ExtensionRegisters;
        return circuit.Feature.Encode(circuit.Index, property, value, registers);
    }
}
