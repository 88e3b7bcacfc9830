using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.UnitTests.Hardware;

/// <summary>
/// Evok's own definition files, as controllers hold them in <c>/etc/evok/hw_definitions/</c> (EvokDefinitions/evok2:
/// the older format, evok3: Evok 3's), load and decode: a feature type we do not serve is a warning naming its file
/// and line, never an error that stops the silo.
/// </summary>
public sealed class EvokDefinitionTests
{
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

        Assert.Equal("""{"dev": "data_point", "circuit": "IAQ_18", "value": 612.5, "name": "CO2", "unit": "ppm"}""", state.ToJson(EvokJsonStyle.Current));
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
            circuit.Decode(registers, 1).ToJson(), circuit.Decode(registers, 1).ToJson(EvokJsonStyle.Current),
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
        var definitions = Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", folder);
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
