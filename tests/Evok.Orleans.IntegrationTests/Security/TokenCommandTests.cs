using System.Net;
using System.Text.RegularExpressions;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary>The CLI's <c>token create</c> prints a token once and the config line that admits it, holding only its hash.</summary>
public sealed partial class TokenCommandTests
{
    [Fact]
    public async Task A_token_made_by_the_cli_opens_a_silo_whose_config_holds_the_line_it_printed()
    {
        var created = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "token", "create", "scada", "write");
        Assert.Equal(0, created.ExitCode);
        var token = TokenLine().Match(created.Output).Groups[1].Value;
        var configLine = ConfigLine().Match(created.Output).Value;
        Assert.DoesNotContain(token, configLine, StringComparison.Ordinal);

        await using var neuron = SimulatedSite.CreateNeuron();
        neuron.Start();
        var apiPort = FreeTcpPort.Next();
        var configuration = SiteConfigurationLoader.Parse("token.yaml", $$"""
            apis:
              port: {{apiPort}}
              address: 0.0.0.0
              auth:
                {{configLine}}
            {{SimulatedSite.NeuronConfigYaml(neuron)}}
            """, new HardwareDefinitionCatalog());
        await using var silo = await TestSilo.StartAsync(configuration);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("version")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("version")).StatusCode);
        await silo.StopAsync();

        var refused = await BuiltProgram.Cli.RunAsync(TimeSpan.FromSeconds(60), "token", "create", "scada", "admin");
        Assert.Equal(2, refused.ExitCode);
    }

    [GeneratedRegex(@"^token: (evk_\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"- \{name: scada, role: write, token_sha256: [0-9a-f]{64}\}")]
    private static partial Regex ConfigLine();
}
