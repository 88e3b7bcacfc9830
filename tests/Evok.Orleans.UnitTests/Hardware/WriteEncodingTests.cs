using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.UnitTests.Hardware;

public sealed class WriteEncodingTests
{
    private readonly SeedBoards _boards = new();

    [Fact]
    public void Relay_value_becomes_a_single_coil_write_at_val_coil_plus_index()
    {
        var (_, circuit) = _boards.Site.FindCircuit("relay:2_04")!.Value;

        var write = circuit.Feature.EncodeValue(circuit.Index, 1, _boards.Decode("relay:2_04"));

        Assert.Equal(ModbusWriteKind.Coil, write.Kind);
        Assert.Equal(3, write.Address);
        Assert.Equal([(ushort)1], write.Values.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(0.5)]
    public void Relay_value_other_than_0_or_1_is_refused(double value)
    {
        var (_, circuit) = _boards.Site.FindCircuit("relay:2_01")!.Value;

        var error = Assert.Throws<DeviceWriteException>(() => circuit.Feature.EncodeValue(circuit.Index, value, _boards.Decode("relay:2_01")));

        Assert.Equal("value", error.Property);
    }

    [Theory]
    [InlineData(1.5, 600)]
    [InlineData(10, 4000)]
    [InlineData(0, 0)]
    [InlineData(3.3337, 1333)]
    public void Extension_analog_output_rounds_volts_to_the_nearest_2_5_mV_step(double volts, int raw)
    {
        var (_, circuit) = _boards.Site.FindCircuit("ao:2_03")!.Value;

        var write = circuit.Feature.EncodeValue(circuit.Index, volts, _boards.Decode("ao:2_03"));

        Assert.Equal(ModbusWriteKind.Register, write.Kind);
        Assert.Equal(2 + 2, write.Address);
        Assert.Equal(raw, write.Values[0]);
    }

    [Theory]
    [InlineData(10.01)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Analog_output_outside_its_mode_range_is_refused(double volts)
    {
        var (_, circuit) = _boards.Site.FindCircuit("ao:2_01")!.Value;

        Assert.Throws<DeviceWriteException>(() => circuit.Feature.EncodeValue(circuit.Index, volts, _boards.Decode("ao:2_01")));
    }

    [Fact]
    public void Brain_analog_output_writes_a_float_low_word_first()
    {
        var (_, circuit) = _boards.Site.FindCircuit("ao:1_01")!.Value;

        var write = circuit.Feature.EncodeValue(circuit.Index, 8.301, _boards.Decode("ao:1_01"));

        Assert.Equal(ModbusWriteKind.Registers, write.Kind);
        Assert.Equal(3000, write.Address);
        var bits = BitConverter.SingleToInt32Bits(8.301f);
        Assert.Equal([(ushort)(bits & 0xFFFF), (ushort)(bits >> 16)], write.Values.ToArray());
    }

    [Fact]
    public void Inputs_are_read_only()
    {
        var (_, circuit) = _boards.Site.FindCircuit("input:2_01")!.Value;

        Assert.Throws<DeviceWriteException>(() => circuit.Feature.EncodeValue(circuit.Index, 1, _boards.Decode("input:2_01")));
    }
}
