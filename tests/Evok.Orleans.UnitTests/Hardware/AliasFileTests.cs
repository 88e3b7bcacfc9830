using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.UnitTests.Hardware;

/// <summary>Evok's alias files of every version load; what a hand edit breaks is an error with file:line, never a crash.</summary>
public sealed class AliasFileTests
{
    [Theory]
    [InlineData("version: '2.0'\naliases:\n  kitchen: {circuit: '1_01', devtype: ro}\n  door: {circuit: '2_03', devtype: di}\n")]
    [InlineData("version: 2.0\naliases:\n  kitchen: {circuit: '1_01', devtype: ro}\n  door: {circuit: '2_03', devtype: di}\n")]
    [InlineData("version: '1.0'\naliases:\n  - {name: kitchen, circuit: '1_01', dev_type: 0}\n  - {name: door, circuit: '2_03', dev_type: 1}\n")]
    public void Every_version_evok_wrote_loads_with_its_device_types(string text)
    {
        var aliases = AliasFileFormat.Parse("alias.yaml", text);

        Assert.Equal("kitchen", aliases["relay:1_01"]);
        Assert.Equal("door", aliases["input:2_03"]);
    }

    [Theory]
    [InlineData("aliases:\n  kitchen: {circuit: '1_01', devtype: ro}\n  \"bad\\\"name\": {circuit: '1_02', devtype: ro}\n", 3, "may hold only")]
    [InlineData("aliases:\n  \"new\\nline\": {circuit: '1_02', devtype: ro}\n", 2, "may hold only")]
    [InlineData("aliases:\n  all: {circuit: '1_02', devtype: ro}\n", 2, "list of all devices")]
    [InlineData("aliases:\n  ? [a, b]\n  : {circuit: '1_02', devtype: ro}\n", 2, "plain name")]
    [InlineData("aliases:\n  a: {circuit: '1_02', devtype: ro}\n  b: {circuit: '1_02', devtype: relay}\n", 3, "two aliases")]
    [InlineData("aliases:\n  a: {circuit: '1_02', devtype: toaster}\n", 2, "unknown device type")]
    public void A_broken_alias_file_is_an_error_naming_its_line(string text, int line, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => AliasFileFormat.Parse("alias.yaml", text));

        Assert.Equal(("alias.yaml", line), (error.File, error.Line));
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var aliases = new Dictionary<string, string> { ["relay:1_01"] = "a.b-c_d", ["sensor:28000028D7000011"] = "2024", ["input:2_03"] = "yes" };

        var text = AliasFileFormat.Render(aliases);

        Assert.Equal(aliases, AliasFileFormat.Parse("aliases.yaml", text));
        Assert.StartsWith("version: \"2.0\"\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("good\u0085")]
    [InlineData("good\n")]
    [InlineData(" good")]
    [InlineData("all")]
    public void An_alias_that_would_not_survive_or_not_resolve_is_refused(string alias) => Assert.NotNull(AliasRules.Problem(alias));
}
