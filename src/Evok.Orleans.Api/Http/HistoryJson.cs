using System.Globalization;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Events;
using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// <c>GET /rest/{type}/{circuit}/history?from=&amp;to=&amp;limit=</c>: a circuit's changes from the change journal,
/// oldest first, each as <c>{"seq", "time" (Unix seconds), "value"}</c>. <c>from</c> and <c>to</c> are Unix seconds
/// (default: the last 24 hours); <c>limit</c> keeps the newest ones (default 1000, at most 10000).
/// </summary>
public static class HistoryJson
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public static (DateTimeOffset From, DateTimeOffset To, int Limit) Query(IQueryCollection query)
    {
        var to = Seconds(query, "to") ?? DateTimeOffset.UtcNow;
        var from = Seconds(query, "from") ?? to - TimeSpan.FromDays(1);
        if (from > to)
        {
            throw ApiError.BadRequest("from", "from must not be after to");
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var text) && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw ApiError.BadRequest("limit", $"limit must be a whole number from 1 to {MaxLimit}");
        }

        return (from, to, limit);
    }

    public static string Render(string dev, string circuit, IReadOnlyList<JournalEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("dev", dev);
            json.WriteString("circuit", circuit);
            json.WriteStartArray("history");
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", entry.Seq);
                json.WriteNumber("time", Math.Round(entry.Time.ToUnixTimeMilliseconds() / 1000.0, 3));
                json.WritePropertyName("value");
                using var device = JsonDocument.Parse(entry.Json);
                if (device.RootElement.TryGetProperty("value", out var value))
                {
                    value.WriteTo(json);
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DateTimeOffset? Seconds(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 32_503_680_000
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : throw ApiError.BadRequest(key, $"{key} must be Unix seconds");
    }
}
