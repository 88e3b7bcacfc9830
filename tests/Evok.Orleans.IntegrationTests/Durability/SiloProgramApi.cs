using System.Globalization;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Durability;

/// <summary>The REST calls the durability tests make on a silo program they started.</summary>
internal static class SiloProgramApi
{
    /// <summary>Until relay 2_01 answers (the port may still be closed: a refused connection is waited out).</summary>
    public static async Task WaitUntilServingAsync(HttpClient http) =>
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("rest/relay/2_01")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the silo serving");

    public static async Task SetRelayAsync(HttpClient http, string circuit, int value)
    {
        using var response = await http.PostAsync($"rest/relay/{circuit}", new FormUrlEncodedContent([new("value", value.ToString(CultureInfo.InvariantCulture))]));
        response.EnsureSuccessStatusCode();
    }
}
