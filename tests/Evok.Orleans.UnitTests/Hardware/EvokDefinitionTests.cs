using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.UnitTests.Hardware;

/// <summary>
/// Evok's own definition files, as controllers hold them in <c>/etc/evok/hw_definitions/</c> (EvokDefinitions/evok2:
/// the older format, evok3: Evok 3's), load and decode: a feature type we do not serve is a warning naming its file
/// and line, never an error that stops the silo.
/// </summary>
public sealed class EvokDefinitionTests : IDisposable
{
    /// <summary>A folder of definition files of the test's own (a new one for each test).</summary>
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-definitions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "evok2", "evok3" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", folder), "*.yaml").Order(StringComparer.Ordinal))
            {
                data.Add(folder, Path.GetFileNameWithoutExtension(file));
            }
        }

        return data;
    }

    [Fact]
    public void Both_folders_hold_all_47_files() => Assert.Equal(47, Files().Count());

    [Fact]
    public void Every_model_of_both_folders_is_built_in()
    {
        var models = Files().Select(row => (string)row[1]).ToHashSet(StringComparer.Ordinal);
        var catalog = new HardwareDefinitionCatalog();

        Assert.Subset(HardwareDefinitionCatalog.BuiltInModels.ToHashSet(StringComparer.Ordinal), models);
        Assert.All(models, model => Assert.NotNull(catalog.Find(model)));
    }

    [Fact]
    public void An_IAQ_sensor_reports_its_data_points_as_Evok_3_and_the_seed_name_them()
    {
        var (board, registers) = Load("evok3", "IAQ", "IAQ");
        var co2 = BitConverter.SingleToInt32Bits(612.5f);
        registers[18] = (ushort)(co2 >> 16);
        registers[19] = (ushort)co2;

        var state = board.FindCircuit("data_point:IAQ_18")!.Decode(registers, 1);

        Assert.Equal("""{"dev": "data_point", "circuit": "IAQ_18", "value": 612.5, "name": "CO2", "unit": "ppm"}""", state.ToJson(EvokJsonStyle.Evok3));
        Assert.Equal("""{"dev": "unit_register", "circuit": "IAQ_18", "value": 612.5, "name": "CO2", "valid": "true", "unit": "ppm", "glob_dev_id": 1}""", state.ToJson());
    }

    [Fact]
    public void A_signed_data_point_with_a_factor_reads_below_zero()
    {
        var (board, registers) = Load("evok3", "xG18", "g");
        var point = board.Circuits.First(circuit => circuit.Kind == DeviceKind.DataPoint);
        registers[point.Registers[0]] = unchecked((ushort)-512);

        Assert.Equal(-5.12, ((DataPointState)point.Decode(registers, 1)).Value);
    }

    [Fact]
    public void An_AI18_card_reports_the_18_bit_count_low_word_first_and_the_mode_its_register_selects()
    {
        var (board, registers) = Load("evok3", "IC-AiUC8-2", "card");
        registers[2] = 0x3039; // input 2: 0x0003_3039 = 208 953, the low word first as the card sends it
        registers[3] = 0x0003;
        registers[1011] = 1;
        var input = board.FindCircuit("ai:card_02")!;

        Assert.Equal(
            """{"dev": "ai", "circuit": "card_02", "value": 208953, "unit": "", "mode": "Current", "modes": ["Voltage", "Current"], "range": "Integer 18bit", "range_modes": ["Integer 18bit", "Float"]}""",
            input.Decode(registers, 1).ToJson(EvokJsonStyle.Evok3));
        var write = Assert.Single(input.Feature.Encode(input.Index, "mode", "Voltage", registers));
        Assert.Equal((1011, (ushort)0), (write.Address, write.Values[0]));
        Assert.Empty(input.Feature.Encode(input.Index, "range", "Integer 18bit", registers));
        Assert.Throws<DeviceWriteException>(() => input.Feature.Encode(input.Index, "range", "Float", registers));
        Assert.Throws<DeviceWriteException>(() => input.Feature.Encode(input.Index, "mode", "Resistance", registers));
    }

    [Fact]
    public void A_DO_with_software_PWM_reads_and_sets_its_preset_custom_prescaler_and_whole_percent_duty()
    {
        // The keys Evok 3's modbus_slave.py reads for a board whose firmware does the PWM (no pwm_ps_reg).
        File.WriteAllText(Path.Combine(_folder, "SOFTPWM.yaml"), """
            type: SOFTPWM
            modbus_register_blocks:
              - {start_reg: 0, count: 2}
              - {start_reg: 10, count: 6}
            modbus_features:
              - {type: DO, count: 4, major_group: 1, modes: [Simple, PWM], val_reg: 1, val_coil: 0, pwm_reg: 10, pwm_preset_reg: 14, pwm_cpres_reg: 15}
            """);
        var (board, registers) = Load(_folder, "SOFTPWM", "b");
        var output = board.FindCircuit("relay:b_02")!;
        RelayState Read() => (RelayState)output.Decode(registers, 1);
        IReadOnlyList<(int, ushort)> Write(string property, string value) =>
            [.. output.Feature.Encode(output.Index, property, value, registers).Select(write => (write.Address, write.Values[0]))];

        Assert.Equal((1000.0, 0.0, "Simple"), (Read().PwmFrequency, Read().PwmDuty, Read().Mode));
        registers[11] = 37;
        registers[14] = 1;
        Assert.Equal((100.0, 37.0, "PWM"), (Read().PwmFrequency, Read().PwmDuty, Read().Mode));
        registers[14] = 2;
        registers[15] = 2;
        Assert.Equal(333.3, Read().PwmFrequency);

        Assert.Equal([(14, (ushort)0)], Write("pwm_freq", "1000"));
        Assert.Equal([(14, (ushort)1)], Write("pwm_freq", "100"));
        Assert.Equal([(15, (ushort)3), (14, (ushort)2)], Write("pwm_freq", "250"));
        Assert.Equal([(15, (ushort)0), (14, (ushort)2)], Write("pwm_freq", "1500"));
        Assert.Equal([(11, (ushort)42)], Write("pwm_duty", "42.4"));
        Assert.Throws<DeviceWriteException>(() => Write("pwm_freq", "2500"));
        Assert.Throws<DeviceWriteException>(() => Write("pwm_freq", "0"));
        Assert.Throws<DeviceWriteException>(() => Write("pwm_duty", "101"));
    }

    [Fact]
    public void Input_registers_with_the_numbers_of_holding_ones_are_circuits_of_their_own_and_read_only()
    {
        File.WriteAllText(Path.Combine(_folder, "METER.yaml"), """
            type: METER
            modbus_register_blocks:
              - {start_reg: 0, count: 4}
              - {start_reg: 2, count: 4, type: input}
            modbus_features:
              - {type: REGISTER, count: 2, start_reg: 2}
              - {type: REGISTER, count: 2, start_reg: 2, reg_type: input}
              - {type: DATA_POINT, value_reg: 5, reg_type: input, name: flow}
            """);
        var (board, registers) = Load(_folder, "METER", "m");
        Assert.Equal(4 + 6, registers.Size); // the input registers 2..5 lie past the holding ones 0..3
        registers[2] = 1002;
        registers[4 + 2] = 2002;
        registers[4 + 5] = 2005;

        Assert.Equal(
            ["register:m_2", "register:m_3", "register:m_2_inp", "register:m_3_inp", "data_point:m_5"],
            board.Circuits.Select(circuit => circuit.Key));
        Assert.Equal(1002, ((RegisterState)board.FindCircuit("register:m_2")!.Decode(registers, 1)).Value);
        Assert.Equal(2002, ((RegisterState)board.FindCircuit("register:m_2_inp")!.Decode(registers, 1)).Value);
        Assert.Equal(2005.0, ((DataPointState)board.FindCircuit("data_point:m_5")!.Decode(registers, 1)).Value);
        var input = board.FindCircuit("register:m_2_inp")!;
        Assert.Throws<DeviceWriteException>(() => input.Feature.Encode(input.Index, "value", "1", registers));

        File.WriteAllText(Path.Combine(_folder, "METER.yaml"), """
            type: METER
            modbus_register_blocks:
              - {start_reg: 0, count: 4}
            modbus_features:
              - {type: REGISTER, count: 2, start_reg: 2, reg_type: coil}
            """);
        var error = Assert.Throws<ConfigurationException>(() => Load(_folder, "METER", "m"));
        Assert.Contains("METER.yaml:5", error.Message, StringComparison.Ordinal);
        Assert.Contains("reg_type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_evok_definition_loads_and_decodes_every_circuit(string folder, string model)
    {
        var (board, registers) = Load(folder, model, "d");
        for (var register = 0; register < registers.Size; register++)
        {
            registers[register] = (ushort)(register * 7);
        }

        // Golden: the JSON of every circuit, both namings, from this fixed image. Set EVOK_UPDATE_GOLDEN=1 to rewrite the
        // files after a deliberate change, and review their diff.
        var json = string.Join('\n', board.Circuits.SelectMany(circuit => new[]
        {
            circuit.Decode(registers, 1).ToJson(), circuit.Decode(registers, 1).ToJson(EvokJsonStyle.Evok3),
        })) + "\n";
        var golden = Path.Combine(GoldenFolder, folder, model + ".jsonl");
        if (Environment.GetEnvironmentVariable("EVOK_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, json);
        }

        Assert.Equal(File.ReadAllText(golden), json);
        Assert.All(board.Device.Board.Warnings, warning => Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(model)}\.yaml:\d+: ", Path.GetFileName(warning)));
    }

    /// <summary>The golden files in the source tree (tests/EvokDefinitions/golden), found from the test's output folder.</summary>
    private static string GoldenFolder
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "tests", "EvokDefinitions")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("tests/EvokDefinitions not found above the test output"), "tests", "EvokDefinitions", "golden");
        }
    }

    private static (BoardMap Board, RegisterImage Registers) Load(string folder, string model, string device)
    {
        var definitions = Path.IsPathRooted(folder) ? folder : Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", folder);
        var site = SiteConfigurationLoader.Parse("config.yaml", $$"""
            comm_channels:
              bus:
                type: MODBUSTCP
                devices:
                  {{device}}: {model: "{{model}}"}
            """, new HardwareDefinitionCatalog(definitions));
        var board = new SiteMap(site).FindBoard(device)!;
        return (board, board.CreateImage());
    }
}
