using System.Net;

namespace Evok.Orleans.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class AliasTests(ApiSite site)
{
    [Fact]
    public async Task An_alias_addresses_the_device_is_shown_in_its_json_and_survives_a_silo_restart()
    {
        var set = await site.Http.PostAsync("rest/ao/2_03", Form("alias", "boiler.valve-1"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.EndsWith("\"range\": [0, 10], \"alias\": \"boiler.valve-1\"}}", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await site.RestartSiloAsync();

        var byAlias = await site.Http.GetStringAsync("rest/analogoutput/boiler.valve-1");
        Assert.StartsWith("""{"dev": "ao", "circuit": "2_03",""", byAlias, StringComparison.Ordinal);
        Assert.EndsWith("\"alias\": \"boiler.valve-1\"}", byAlias, StringComparison.Ordinal);
        Assert.Equal(
            "version: \"2.0\"\naliases:\n  \"boiler.valve-1\":\n    circuit: \"2_03\"\n    devtype: ao\n",
            await File.ReadAllTextAsync(site.AliasFile));
    }

    [Fact]
    public async Task A_duplicate_alias_is_refused_and_the_old_one_kept()
    {
        Assert.Equal(HttpStatusCode.OK, (await site.Http.PostAsync("rest/input/1_04", Form("alias", "door_contact"))).StatusCode);

        var duplicate = await site.Http.PostAsync("rest/input/2_04", Form("alias", "door_contact"));

        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(
            """{"success": false, "errors": {"alias": "alias 'door_contact' is already used by input:1_04"}}""",
            await duplicate.Content.ReadAsStringAsync());
        Assert.Contains("\"circuit\": \"1_04\"", await site.Http.GetStringAsync("rest/di/door_contact"), StringComparison.Ordinal);
        Assert.DoesNotContain("alias", await site.Http.GetStringAsync("rest/di/2_04"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ümlaut")]
    [InlineData("2_04")]
    public async Task An_alias_with_bad_characters_or_a_circuit_name_is_refused(string alias)
    {
        var response = await site.Http.PostAsync("rest/led/1_01", Form("alias", alias));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"errors\": {\"alias\": ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string name, string value) => new([new(name, value)]);
}
