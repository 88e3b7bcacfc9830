using System.Text;
using Evok.Orleans.Webhooks;

namespace Evok.Orleans.UnitTests.Hardware;

/// <summary>
/// The seed document's receiver output, token for token: registers set as EVOK-COMPAT §5 describes, decoded through
/// the built-in definitions and serialized as a webhook body.
/// </summary>
public sealed class GoldenPayloadTests
{
    private const string DigitalOutput103 = """[{"dev": "relay", "relay_type": "digital", "circuit": "1_03", "value": 0, "pending": false, "mode": "Simple", "modes": ["Simple", "PWM"], "glob_dev_id": 2, "pwm_freq": 4800.0, "pwm_duty": 0}]""";
    private const string Relay204On = """[{"dev": "relay", "relay_type": "physical", "circuit": "2_04", "value": 1, "pending": false, "mode": "Simple", "modes": ["Simple"], "glob_dev_id": 3}]""";
    private const string Relay204Off = """[{"dev": "relay", "relay_type": "physical", "circuit": "2_04", "value": 0, "pending": false, "mode": "Simple", "modes": ["Simple"], "glob_dev_id": 3}]""";
    private const string BrainOutput8301 = """[{"dev": "ao", "circuit": "1_01", "mode": "Voltage", "modes": {"Voltage": {"value": 0, "unit": "V", "range": [0, 10]}, "Current": {"value": 1, "unit": "mA", "range": [0, 20]}, "Resistance": {"value": 2, "unit": "Ohm", "range": [0, 2000]}}, "glob_dev_id": 2, "unit": "V", "value": 8.301}]""";
    private const string ExtensionOutput15 = """[{"dev": "ao", "circuit": "2_01", "mode": "Voltage", "modes": {"Voltage": {"unit": "V", "range": [0, 10]}}, "glob_dev_id": 3, "value": 1.5, "unit": "V", "range": [0, 10]}]""";
    private const string BrainOutput27 = """[{"dev": "ao", "circuit": "1_01", "mode": "Voltage", "modes": {"Voltage": {"value": 0, "unit": "V", "range": [0, 10]}, "Current": {"value": 1, "unit": "mA", "range": [0, 20]}, "Resistance": {"value": 2, "unit": "Ohm", "range": [0, 2000]}}, "glob_dev_id": 2, "unit": "V", "value": 2.7}]""";

    private readonly SeedBoards _boards = new();

    [Fact]
    public void Digital_output_1_03_with_pwm_registers_matches_the_seed_line()
    {
        _boards.BrainRegisters[1] = 0b0000;
        _boards.BrainRegisters[18] = 0;
        _boards.BrainRegisters[1017] = 0;
        _boards.BrainRegisters[1018] = 9999;

        Assert.Equal(DigitalOutput103, Body("relay:1_03"));
    }

    [Fact]
    public void Relay_2_04_on_and_off_match_the_seed_lines()
    {
        _boards.ExtensionRegisters[1] = 1 << 3;
        Assert.Equal(Relay204On, Body("relay:2_04"));

        _boards.ExtensionRegisters[1] = 0;
        Assert.Equal(Relay204Off, Body("relay:2_04"));
    }

    [Fact]
    public void Brain_analog_output_float_registers_match_the_seed_lines()
    {
        _boards.BrainRegisters[1019] = 0;
        _boards.SetFloat(_boards.BrainRegisters, 3000, 8.301f);
        Assert.Equal(BrainOutput8301, Body("ao:1_01"));

        _boards.SetFloat(_boards.BrainRegisters, 3000, 2.7f);
        Assert.Equal(BrainOutput27, Body("ao:1_01"));
    }

    [Fact]
    public void Extension_analog_output_raw_600_is_1_5_volts_as_in_the_seed()
    {
        _boards.ExtensionRegisters[2] = 600;

        Assert.Equal(ExtensionOutput15, Body("ao:2_01"));
    }

    [Fact]
    public void A_batch_of_several_circuits_is_one_array_in_batch_order()
    {
        _boards.ExtensionRegisters[1] = 1 << 3;
        _boards.ExtensionRegisters[2] = 600;
        var body = Encoding.UTF8.GetString(WebhookPayload.Build([Json("relay:2_04"), Json("ao:2_01")]));

        Assert.Equal($"[{Relay204On[1..^1]}, {ExtensionOutput15[1..^1]}]", body);
    }

    private string Body(string key) => Encoding.UTF8.GetString(WebhookPayload.Build([Json(key)]));

    private string Json(string key) => _boards.Decode(key).ToJson();
}
