using System.Globalization;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// Evok's <c>POST /bulk</c>: individual assignments, group queries and group assignments in one request. Each entry
/// answers on its own (device JSON, or an error object), so one bad entry does not cancel the others.
/// </summary>
internal static class BulkRequest
{
    /// <summary>The most entries of all sections together: a bulk request stays one request's worth of work.</summary>
    public const int MaxEntries = 256;

    /// <summary>The largest reply: beyond it the request is refused rather than a reply of hundreds of MB built.</summary>
    public const int MaxReplyChars = 4 * 1024 * 1024;

    private static readonly string[] Sections = ["individual_assignments", "group_queries", "group_assignments"];

    public static async Task<string> ExecuteAsync(JsonElement body, EvokDevices devices)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.BadRequest("body", "expected a JSON object with individual_assignments, group_queries or group_assignments");
        }

        var entries = Sections.Sum(name => body.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0);
        if (entries > MaxEntries)
        {
            throw ApiError.BadRequest("body", $"{entries} entries in one bulk request; at most {MaxEntries}");
        }

        var result = new StringBuilder("{");
        await SectionAsync(result, body, "individual_assignments", async entry =>
        {
            var type = Text(entry, "device_type");
            var circuit = Text(entry, "device_circuit");
            return (await EvokHttpEndpoints.SetAsync(devices, type, circuit, JsonAssignments.From(Member(entry, "assigned_values")))).ToJson(devices.JsonStyle);
        });
        await SectionAsync(result, body, "group_queries", async entry => DeviceJson.List(await GroupAsync(entry, devices), devices.JsonStyle));
        await SectionAsync(result, body, "group_assignments", async entry =>
        {
            var assignments = JsonAssignments.From(Member(entry, "assigned_values"));
            var states = new List<DeviceState>();
            foreach (var state in await GroupAsync(entry, devices))
            {
                states.Add(await EvokHttpEndpoints.SetAsync(devices, state.Key[..state.Key.IndexOf(':', StringComparison.Ordinal)], state.Circuit, assignments));
            }

            return DeviceJson.List(states, devices.JsonStyle);
        });
        return result.Append('}').ToString();
    }

    private static async Task SectionAsync(StringBuilder result, JsonElement body, string name, Func<JsonElement, Task<string>> execute)
    {
        if (!body.TryGetProperty(name, out var entries))
        {
            return;
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            throw ApiError.BadRequest(name, $"{name} must be a list");
        }

        result.Append(result.Length > 1 ? ", " : string.Empty).Append('"').Append(name).Append("\": [");
        var first = true;
        foreach (var entry in entries.EnumerateArray())
        {
            result.Append(first ? string.Empty : ", ");
            first = false;
            try
            {
                result.Append(await execute(entry));
            }
            catch (ApiError error)
            {
                result.Append(error.ToJson());
            }

            if (result.Length > MaxReplyChars)
            {
                throw new ApiError(StatusCodes.Status413PayloadTooLarge, "body", $"the reply would exceed {MaxReplyChars / (1024 * 1024)} MB: ask for fewer devices per request");
            }
        }

        result.Append(']');
    }

    /// <summary>
    /// The devices of the listed types (<c>device_types</c>; Evok's group assignments say <c>device_type</c>, one type),
    /// narrowed by Evok's filters when present: <c>device_circuits</c> (circuits or aliases; an empty list keeps all),
    /// <c>group</c> (the Modbus device a circuit belongs to, its name before the <c>_</c>: group 2 is 2_01, 2_02 ...,
    /// as Evok numbered its boards' circuits by group) and <c>global_device_id</c> (the device's <c>glob_dev_id</c>).
    /// </summary>
    private static async Task<IReadOnlyList<DeviceState>> GroupAsync(JsonElement entry, EvokDevices devices)
    {
        var types = entry.ValueKind == JsonValueKind.Object && !entry.TryGetProperty("device_types", out _) && entry.TryGetProperty("device_type", out _)
            ? [Text(entry, "device_type")]
            : Strings(entry, "device_types");
        foreach (var type in types)
        {
            EvokHttpEndpoints.KnownType(type);
        }

        var circuits = entry.TryGetProperty("device_circuits", out _) ? Strings(entry, "device_circuits").ToHashSet(StringComparer.Ordinal) : [];
        var group = entry.TryGetProperty("group", out _) ? Scalar(entry, "group") : null;
        var globalDeviceId = entry.TryGetProperty("global_device_id", out _) ? Scalar(entry, "global_device_id") : null;
        var mask = EvokDevices.Mask(types.Select(DeviceTypeNames.ForRequest));
        return [.. (await devices.ListAsync()).Where(state =>
            mask.Contains(state.Kind) &&
            (circuits.Count == 0 || circuits.Contains(state.Circuit) || (state.Alias is { } alias && circuits.Contains(alias))) &&
            (group is null || GroupOf(state.Circuit) == group) &&
            (globalDeviceId is null || state.GlobalDeviceId.ToString(CultureInfo.InvariantCulture) == globalDeviceId))];
    }

    private static string GroupOf(string circuit) => circuit.IndexOf('_', StringComparison.Ordinal) is var separator and > 0 ? circuit[..separator] : circuit;

    /// <summary>A filter value as text: Evok's clients send a group as 2 or "2".</summary>
    private static string Scalar(JsonElement entry, string name) => Member(entry, name) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        _ => throw ApiError.BadRequest(name, $"{name} must be a whole number or a string"),
    };

    private static JsonElement Member(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value)
            ? value
            : throw ApiError.BadRequest(name, $"each entry needs {name}");

    private static string Text(JsonElement entry, string name) =>
        Member(entry, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw ApiError.BadRequest(name, $"{name} must be a string");

    private static List<string> Strings(JsonElement entry, string name)
    {
        var value = Member(entry, name);
        return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(item => item.GetString()!)]
            : throw ApiError.BadRequest(name, $"{name} must be a list of strings");
    }
}
