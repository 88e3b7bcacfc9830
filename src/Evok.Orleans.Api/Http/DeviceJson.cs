using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Api.Http;

/// <summary>Device JSON shapes the API answers with, written the way Evok writes them.</summary>
public static class DeviceJson
{
    public static string List(IEnumerable<DeviceState> states, EvokJsonStyle style)
    {
        var text = new StringBuilder("[");
        foreach (var state in states)
        {
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            state.WriteJson(new EvokJsonWriter(text, style));
        }

        return text.Append(']').ToString();
    }

    /// <summary>Evok's <c>run/alias</c> device: every alias with its circuit and device type.</summary>
    public static string AliasTable(IReadOnlyDictionary<string, string> aliasByKey, Func<string, string> devtypeOfKey)
    {
        var writer = new EvokJsonWriter(new StringBuilder()).BeginObject()
            .Name("dev").String("run").Name("circuit").String("alias").Name("save").Bool(false).Name("aliases").BeginObject();
        foreach (var (key, alias) in aliasByKey.OrderBy(pair => pair.Value, StringComparer.Ordinal))
        {
            var separator = key.IndexOf(':', StringComparison.Ordinal);
            writer.Name(alias).BeginObject().Name("circuit").String(key[(separator + 1)..]).Name("devtype").String(devtypeOfKey(key)).EndObject();
        }

        return writer.EndObject().EndObject().Output.ToString();
    }

    /// <summary>The <c>dev</c> a device's JSON carries in the given naming.</summary>
    public static string DevName(DeviceState state, EvokJsonStyle style)
    {
        using var document = JsonDocument.Parse(state.ToJson(style));
        return document.RootElement.GetProperty("dev").GetString()!;
    }

    /// <summary>
    /// Evok's <c>GET /rest/{type}/all/{property}</c>: <c>[{"circuit": ..., "&lt;property&gt;": value}, ...]</c>. A device
    /// of the type without the property is left out (Evok fails the whole request on the first one).
    /// </summary>
    public static string PropertyList(IEnumerable<DeviceState> states, string property, EvokJsonStyle style)
    {
        var text = new StringBuilder("[");
        var any = false;
        var seen = 0;
        foreach (var state in states)
        {
            seen++;
            using var document = JsonDocument.Parse(state.ToJson(style));
            if (!document.RootElement.TryGetProperty(property, out var value))
            {
                continue;
            }

            text.Append(any ? ", " : string.Empty);
            any = true;
            new EvokJsonWriter(text).BeginObject().Name("circuit").String(state.Circuit).Name(property).Raw(value.GetRawText()).EndObject();
        }

        return any || seen == 0 ? text.Append(']').ToString() : throw ApiError.BadRequest(property, $"no device of this type has a property '{property}'");
    }

    public static string Success(string resultJson) => $"{{\"success\": true, \"result\": {resultJson}}}";

    /// <summary><c>{"&lt;property&gt;": value}</c>, the value exactly as it stands in the device JSON.</summary>
    public static string Property(DeviceState state, string property, EvokJsonStyle style)
    {
        using var document = JsonDocument.Parse(state.ToJson(style));
        if (!document.RootElement.TryGetProperty(property, out var value))
        {
            throw ApiError.BadRequest(property, $"{state.Key} has no property '{property}'");
        }

        var text = new StringBuilder();
        new EvokJsonWriter(text).BeginObject().Name(property).Raw(value.GetRawText()).EndObject();
        return text.ToString();
    }
}
