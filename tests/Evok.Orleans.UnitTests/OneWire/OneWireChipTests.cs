using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.OneWire;

namespace Evok.Orleans.UnitTests.OneWire;

public sealed class OneWireChipTests
{
    private static readonly OneWireChip Thermometer = OneWireChip.Find("DS18B20")!;

    [Theory]
    [InlineData("21.4375", 21.45)]
    [InlineData("21.4", 21.4)]
    [InlineData("-0.0625", -0.05)]
    [InlineData("  22.8125", 22.8)]
    public void A_thermometer_keeps_evoks_twentieths_of_a_degree(string read, double value)
    {
        var state = (ThermometerState)Thermometer.Decode(Thermometer.Initial("28.000028D70000.11", 60), [read], 12.5);

        Assert.Equal(value, state.Value);
    }

    [Fact]
    public void A_thermometer_ignores_the_85_degree_power_on_value_far_from_the_last_reading_but_not_a_real_one()
    {
        var warm = Thermometer.Decode(Thermometer.Initial("28.000028D70000.11", 60), ["21"], 1);

        Assert.Equal(21.0, ((ThermometerState)Thermometer.Decode(warm, ["85"], 2)).Value);
        Assert.Equal(85.0, ((ThermometerState)Thermometer.Decode(Thermometer.Decode(warm, ["84"], 2), ["85"], 3)).Value);
    }

    [Fact]
    public void A_read_that_only_moved_time_is_no_change_and_lost_is_one()
    {
        var first = Thermometer.Decode(Thermometer.Initial("28.000028D70000.11", 60), ["21"], 1);

        Assert.Equal(first, Thermometer.Decode(first, ["21"], 61));
        Assert.NotEqual(first, first with { Lost = true });
    }

    [Fact]
    public void Switch_outputs_are_named_as_owfs_names_them_and_anything_else_is_refused()
    {
        Assert.Equal(("PIO.3", "1"), OneWireChip.Find("DS2408")!.EncodeOutput("3", "1"));
        Assert.Equal(("PIO.B", "0"), OneWireChip.Find("DS2413")!.EncodeOutput("1", "off"));
        Assert.Equal(("PIO.A", "1"), OneWireChip.Find("DS2406")!.EncodeOutput("a", "true"));
        Assert.Equal("pio", Assert.Throws<DeviceWriteException>(() => OneWireChip.Find("DS2413")!.EncodeOutput("C", "1")).Property);
        Assert.Equal("value", Assert.Throws<DeviceWriteException>(() => OneWireChip.Find("DS2408")!.EncodeOutput("0", "2")).Property);
        Assert.Throws<DeviceWriteException>(() => Thermometer.EncodeOutput("0", "1"));
        Assert.Throws<DeviceWriteException>(() => OneWireChip.Find("DS2404")!.EncodeOutput("0", "1"));
    }

    [Fact]
    public void A_DS2404_is_served_only_when_listed_and_its_reads_only_say_it_is_there()
    {
        var clock = OneWireChip.Find("DS2404")!;

        Assert.False(clock.FoundBySearch);
        Assert.All(OneWireChip.Types.Where(type => type != "DS2404"), type => Assert.True(OneWireChip.Find(type)!.FoundBySearch));
        var read = clock.Decode(clock.Initial("04.000004FB0600.1C", 15), ["DS2404"], 7);
        Assert.Equal((false, 7.0), (read.Lost, read.Time));
        Assert.Contains("\"value\": null", read.ToJson(EvokJsonStyle.Evok3), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("28.000028D70000.11", "28.000028D70000.11")]
    [InlineData("28000028d7000011", "28.000028D70000.11")]
    [InlineData(" 04.000004fb0600.1c ", "04.000004FB0600.1C")]
    [InlineData("28.000028D70000", null)]
    [InlineData("28.000028D70000.1G", null)]
    [InlineData("", null)]
    public void Addresses_are_written_as_owfs_writes_them(string written, string? address) =>
        Assert.Equal(address, OneWireChip.NormalAddress(written));

    [Fact]
    public void Evok_3_naming_says_type_and_names_the_driver_where_the_seed_says_typ_and_via()
    {
        var thermometer = Thermometer.Decode(Thermometer.Initial("28.000028D70000.11", 3), ["4"], 1354.84) with { Alias = "kitchen" };
        var bus = new OneWireBusState { Circuit = "OWFS", GlobalDeviceId = 0, Interval = 60, ScanInterval = 300, Online = true };

        Assert.Equal(
            """{"dev": "temp", "circuit": "28000028D7000011", "address": "28.000028D70000.11", "value": 4.0, "lost": false, "time": 1354.84, "interval": 3, "type": "DS18B20", "alias": "kitchen"}""",
            thermometer.ToJson(EvokJsonStyle.Evok3));
        Assert.EndsWith("\"typ\": \"DS18B20\", \"alias\": \"kitchen\"}", thermometer.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"bus\": \"OWFS\"", bus.ToJson(EvokJsonStyle.Evok3), StringComparison.Ordinal);
        Assert.Contains("\"bus\": \"via OWFS\"", bus.ToJson(), StringComparison.Ordinal);
    }
}
