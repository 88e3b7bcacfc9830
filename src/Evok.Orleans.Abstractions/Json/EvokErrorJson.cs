using System.Text;

namespace Evok.Orleans.Abstractions.Json;

/// <summary>Evok's error body, <c>{"success": false, "errors": {"key": "message"}}</c>, for every API that answers with it (HTTP, MQTT).</summary>
public static class EvokErrorJson
{
    /// <summary>The longest message quoted: an error may repeat what a client sent, never all of a 10 MB value.</summary>
    public const int MaxMessageLength = 200;

    public static string Bounded(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "\u2026");

    public static string Render(string key, string message)
    {
        var text = new StringBuilder();
        new EvokJsonWriter(text).BeginObject().Name("success").Bool(false).Name("errors").BeginObject().Name(key).String(Bounded(message)).EndObject().EndObject();
        return text.ToString();
    }
}
