using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.UnitTests.Hardware;

namespace Evok.Orleans.UnitTests.Json;

/// <summary>
/// Every value we emit must be the one Evok emits: Python's <c>round(x, n)</c> of the same double, written as
/// Python's <c>json.dumps</c> writes it. Debian's python3 computes the expected table in each test.
/// </summary>
public sealed class PythonRoundTests
{
    [Fact]
    public async Task Every_analog_output_raw_value_is_the_volts_Evok_reports()
    {
        var boards = new SeedBoards();
        var expected = await PythonAsync("import json\nfor raw in range(4096): print(json.dumps(round(raw * 0.0025, 3)))");

        var mismatches = new List<string>();
        for (var raw = 0; raw < 4096; raw++)
        {
            boards.ExtensionRegisters[2] = (ushort)raw;
            var json = JsonDocument.Parse(boards.Decode("ao:2_01").ToJson()).RootElement.GetProperty("value").GetRawText();
            if (json != expected[raw])
            {
                mismatches.Add($"raw {raw}: {json}, Evok {expected[raw]}");
            }
        }

        Assert.Empty(mismatches);
        Assert.Equal(4096, expected.Count);
    }

    [Fact]
    public async Task Analog_input_float32_words_round_as_in_Evok_over_a_large_sweep()
    {
        // Words from a fixed-seed generator: every exponent, signs, ties; NaN and infinities left out (Evok emits those as it can).
        var random = new Random(20261130);
        var words = new List<uint>();
        while (words.Count < 200_000)
        {
            var word = (uint)random.NextInt64(0, 1L << 32);
            var value = BitConverter.UInt32BitsToSingle(word);
            if (float.IsFinite(value) && Math.Abs(value) < 1e17)
            {
                words.Add(word);
            }
        }

        // Also every multiple of 1/4096 in [0, 20) written as float32: where ties and near-ties of 3 decimals sit.
        for (var step = 0; step < 20 * 4096; step++)
        {
            words.Add(BitConverter.SingleToUInt32Bits(step / 4096f));
        }

        var input = string.Join('\n', words.Select(word => word.ToString(CultureInfo.InvariantCulture)));
        var expected = await PythonAsync(
            "import json, struct, sys\nfor line in sys.stdin: print(json.dumps(round(struct.unpack('<f', struct.pack('<I', int(line)))[0], 3)))", input);

        var mismatches = new List<string>();
        var text = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            text.Clear();
            new EvokJsonWriter(text).Float(PythonRound.Round(BitConverter.UInt32BitsToSingle(words[i]), 3));
            if (text.ToString() != expected[i])
            {
                mismatches.Add($"word 0x{words[i]:X8}: {text}, Evok {expected[i]}");
            }
        }

        Assert.Empty(mismatches.Take(20));
        Assert.Equal(words.Count, expected.Count);
    }

    [Fact]
    public async Task Pwm_duty_and_temperature_steps_round_as_in_Evok()
    {
        var cases = new List<(double Value, int Digits)>();
        for (var cycle = 2; cycle <= 400; cycle++)
        {
            for (var duty = 1; duty <= cycle; duty++)
            {
                cases.Add((duty / (double)cycle * 100, 1));
            }
        }

        for (var sixteenths = -880; sixteenths <= 2000; sixteenths++)
        {
            cases.Add((sixteenths / 16.0 * 2, 1));
        }

        var input = string.Join('\n', cases.Select(c => $"{c.Value.ToString("R", CultureInfo.InvariantCulture)} {c.Digits}"));
        var expected = await PythonAsync("import json, sys\nfor line in sys.stdin:\n    x, n = line.split()\n    print(json.dumps(round(float(x), int(n))))", input);

        var text = new StringBuilder();
        var mismatches = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            text.Clear();
            new EvokJsonWriter(text).Float(PythonRound.Round(cases[i].Value, cases[i].Digits));
            if (text.ToString() != expected[i])
            {
                mismatches.Add($"round({cases[i].Value:R}, {cases[i].Digits}): {text}, Evok {expected[i]}");
            }
        }

        Assert.Empty(mismatches.Take(20));
    }

    [Theory]
    [InlineData(2.4925000000000002, 3, 2.493)]
    [InlineData(0.125, 2, 0.12)]
    [InlineData(0.375, 2, 0.38)]
    [InlineData(-2.675, 2, -2.67)]
    [InlineData(1e15 + 0.5, 0, 1e15)]
    public void Ties_go_to_even_on_the_exact_binary_value(double value, int digits, double expected) =>
        Assert.Equal(expected, PythonRound.Round(value, digits));

    [Fact]
    public void Floats_print_as_python_prints_them() =>
        Assert.Equal(
            "[1000000000000000.0, 1234567890123456.8, -1e+16, 1e-05, 0.0001, 2.493, 4800.0]",
            new EvokJsonWriter(new StringBuilder()).BeginArray().Float(1e15).Float(1234567890123456.8).Float(-1e16).Float(1e-5).Float(0.0001).Float(2.493).Float(4800).EndArray().Output.ToString());

    private static async Task<List<string>> PythonAsync(string program, string input = "")
    {
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", program])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(input);
        python.StandardInput.Close();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await error);
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
