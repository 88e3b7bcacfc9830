using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Simulator;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Security;

/// <summary>
/// A silo on the simulated Neuron with <c>apis.auth</c> (a read and a write token), the Orleans dashboard on and one
/// allowed foreign origin; the tokens exist only here, config.yaml holds their hashes. <see cref="OpenSite"/> is the
/// same without <c>apis.auth</c>, as Evok runs on loopback.
/// </summary>
public class SecuredSite : IAsyncLifetime
{
    public const string AllowedOrigin = "https://scada.example:8443";

    public ModbusTcpSimulator Neuron { get; } = SimulatedSite.CreateNeuron();

    public string ReadToken { get; } = ApiTokens.Create();

    public string WriteToken { get; } = ApiTokens.Create();

    public int ApiPort { get; } = FreeTcpPort.Next();

    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Neuron.Start();
        var configuration = SiteConfigurationLoader.Parse("secured.yaml", $$"""
            apis:
              port: {{ApiPort}}
              {{AuthYaml}}
              cors_origins: ["{{AllowedOrigin}}"]
            {{SimulatedSite.NeuronConfigYaml(Neuron, scanFrequency: 20)}}
            """, new HardwareDefinitionCatalog());
        Silo = await TestSilo.StartAsync(configuration);
        await Silo.WaitUntilAnsweringAsync("rest/relay/2_02", token: WriteToken);
    }

    /// <summary>The lines of <c>apis</c> that set up authentication (and the Orleans dashboard it guards).</summary>
    protected virtual string AuthYaml =>
        $"auth: [{{name: dashboard, role: read, token_sha256: {ApiTokens.Sha256(ReadToken)}}}, {{name: scada, role: write, token_sha256: {ApiTokens.Sha256(WriteToken)}}}]\n  orleans_dashboard: true";

    /// <summary>An HTTP client of the API, with a token when one is given.</summary>
    public HttpClient Client(string? token = null) => Silo.Client(token);

    public async Task DisposeAsync()
    {
        await Silo.StopAsync();
        await Silo.DisposeAsync();
        await Neuron.DisposeAsync();
    }
}

/// <summary>The same site without <c>apis.auth</c>: what Evok users run today, on loopback.</summary>
public sealed class OpenSite : SecuredSite
{
    protected override string AuthYaml => "auth: none";
}
