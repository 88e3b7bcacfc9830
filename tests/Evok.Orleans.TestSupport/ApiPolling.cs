namespace Evok.Orleans.TestSupport;

/// <summary>Reading an API path again until it shows what a change on the board must make it show.</summary>
public static class ApiPolling
{
    public static async Task WaitUntilShowsAsync(HttpClient http, string path, string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (!(last = await http.GetStringAsync(path)).Contains(fragment, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{path} never showed {fragment} within {timeout.TotalSeconds} s; last: {last}");
            }

            await Task.Delay(50);
        }
    }
}
