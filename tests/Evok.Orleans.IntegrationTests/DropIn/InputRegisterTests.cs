using System.Net;
using System.Text.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.IntegrationTests.Modbus;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.DropIn;

/// <summary>
/// A definition that reads input and holding registers of the same numbers (a meter, a third-party module) from an
/// independent Modbus server (Debian's pymodbus: holding register n = 1000 + n, input register n = 2000 + n): Evok's
/// <c>reg_type: input</c> circuits <c>&lt;dev&gt;_&lt;reg&gt;_inp</c> serve the input registers, the others the holding ones.
/// </summary>
[Trait("Category", TestCategory.Peers)]
public sealed class InputRegisterTests(PymodbusServer server) : IClassFixture<PymodbusServer>, IDisposable
{
    private readonly string _etc = Directory.CreateTempSubdirectory("evok-etc-").FullName;

    public void Dispose() => Directory.Delete(_etc, recursive: true);

    [Fact]
    public async Task Input_and_holding_registers_of_the_same_number_are_served_apart_over_the_api()
    {
        Directory.CreateDirectory(Path.Combine(_etc, "hw_definitions"));
        await File.WriteAllTextAsync(Path.Combine(_etc, "hw_definitions", "METER.yaml"), """
            type: METER
            modbus_register_blocks:
              - {start_reg: 0, count: 10}
              - {start_reg: 5, count: 10, type: input}
            modbus_features:
              - {type: REGISTER, count: 2, start_reg: 7}
              - {type: REGISTER, count: 2, start_reg: 7, reg_type: input}
              - {type: DATA_POINT, value_reg: 12, reg_type: input, name: flow, unit: "l/h", factor: 0.5}
            """);
        var apiPort = FreeTcpPort.Next();
        await File.WriteAllTextAsync(Path.Combine(_etc, "config.yaml"), $$"""
            apis:
              port: {{apiPort}}
            comm_channels:
              METERS:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: {{server.Port}}
                devices:
                  meter: {slave-id: 1, model: METER, scan_frequency: 20}
            """);

        await using var silo = await TestSilo.StartAsync(SiteConfigurationLoader.Load(Path.Combine(_etc, "config.yaml")));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };

        var holding = await ReadAsync(http, "rest/register/meter_7");
        Assert.Equal(1007, holding.GetProperty("value").GetInt32());
        Assert.Equal(2007, (await ReadAsync(http, "rest/register/meter_7_inp")).GetProperty("value").GetInt32());
        Assert.Equal(2008, (await ReadAsync(http, "rest/register/meter_8_inp")).GetProperty("value").GetInt32());
        Assert.Equal(1006.0, (await ReadAsync(http, "rest/data_point/meter_12")).GetProperty("value").GetDouble());

        // An input register cannot be written: Evok's error JSON, nothing sent.
        using var refused = await http.PostAsync("rest/register/meter_7_inp", new FormUrlEncodedContent([new("value", "5")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("read-only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await silo.StopAsync();
    }

    /// <summary>Reads a circuit once the board has been scanned (503 until then).</summary>
    private static async Task<JsonElement> ReadAsync(HttpClient http, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var response = await http.GetAsync(path);
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            await Task.Delay(100);
        }
    }
}
