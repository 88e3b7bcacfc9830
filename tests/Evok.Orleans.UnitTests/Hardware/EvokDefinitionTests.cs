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

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_evok_definition_loads_and_decodes_every_circuit(string folder, string model)
    {
        var definitions = Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", folder);
        var site = SiteConfigurationLoader.Parse("config.yaml", $$"""
            comm_channels:
              bus:
                type: MODBUSTCP
                devices:
                  d: {model: "{{model}}"}
            """, new HardwareDefinitionCatalog(definitions));
        var board = new SiteMap(site).FindBoard("d")!;
        var registers = board.CreateImage();
        for (var register = 0; register < registers.Size; register++)
        {
            registers[register] = (ushort)(register * 7);
        }

        Assert.All(board.Circuits, circuit => Assert.StartsWith("{\"dev\": ", circuit.Decode(registers, 1).ToJson(), StringComparison.Ordinal));
        Assert.All(site.Warnings, warning => Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(model)}\.yaml:\d+: ", Path.GetFileName(warning)));
    }
}
