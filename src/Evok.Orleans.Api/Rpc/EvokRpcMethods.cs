using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Client;

namespace Evok.Orleans.Api.Rpc;

/// <summary>
/// The methods of Evok's JSON-RPC handler (<c>evok/rpc_handler.py</c>), each answering what Evok's answers: a getter
/// the value or Evok's tuple as a list (<c>input_get</c> → <c>[value, debounce]</c>), a setter the value it set. Reads
/// come from grain state, writes go the way of a REST write (checked first, then the board). Also the names Evok's
/// documentation uses (<c>di_get</c>, <c>do_set</c>) and the older <c>relay_set_for_time</c>.
/// </summary>
internal static class EvokRpcMethods
{
    /// <summary>A method: whether it writes (needs the write role), and what it does.</summary>
    internal sealed record Method(bool Writes, Func<RpcCall, EvokDevices, Task<JsonNode?>> Invoke);

    public static FrozenDictionary<string, Method> All { get; } = new Dictionary<string, Method>(StringComparer.Ordinal)
    {
        ["input_get"] = Read("di", device => new JsonArray(Copy(device["value"]), Copy(device["debounce"]))),
        ["input_get_value"] = Read("di", device => Copy(device["value"])),
        ["input_set"] = Write("di", call => [("debounce", call.Text(1, "debounce"))], device => device),
        ["di_get"] = Read("di", device => new JsonArray(Copy(device["value"]), Copy(device["debounce"]))),
        ["di_get_value"] = Read("di", device => Copy(device["value"])),
        ["relay_get"] = Read("ro", device => Copy(device["value"])),
        ["relay_set"] = Write("ro", call => [("value", call.Text(1, "value"))], device => Copy(device["value"])),
        ["relay_set_for_time"] = Write("ro", call => [("value", call.Text(1, "value")), ("timeout", Timeout(call))], device => Copy(device["value"])),
        ["output_get"] = Read("do", device => new JsonArray(Copy(device["value"]), Copy(device["pending"]))),
        ["output_set"] = Write("do", call => [("value", call.Text(1, "value"))], device => Copy(device["value"])),
        ["output_set_for_time"] = Write("do", call => [("value", call.Text(1, "value")), ("timeout", Timeout(call))], device => Copy(device["value"])),
        ["do_get"] = Read("do", device => new JsonArray(Copy(device["value"]), Copy(device["pending"]))),
        ["do_set"] = Write("do", call => [("value", call.Text(1, "value"))], device => Copy(device["value"])),
        ["ai_get"] = Read("ai", device => device),
        ["ao_get"] = Read("ao", device => device),
        ["ao_set_value"] = Write("ao", call => [("value", call.Text(1, "value"))], device => Copy(device["value"])),
        ["owbus_get"] = Read("owbus", device => Copy(device["scan_interval"])),
        ["owbus_set"] = Write("owbus", call => [("scan_interval", call.Text(1, "scan_interval"))], device => Copy(device["scan_interval"])),
        ["owbus_scan"] = Write("owbus", _ => [("do_scan", "1")], _ => null),
        ["owbus_list"] = new(false, OwBusListAsync),
        ["sensor_get"] = Read("sensor", device => new JsonArray(Copy(device["value"]), Copy(device["lost"]), Copy(device["time"]), Copy(device["interval"]))),
        ["sensor_get_value"] = Read("sensor", device => Copy(device["value"])),
        ["sensor_set"] = Write("sensor", call => [("interval", call.Text(1, "interval"))], _ => null),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static Method Read(string type, Func<JsonObject, JsonNode?> answer) => new(false, async (call, devices) =>
        answer(Json(await EvokHttpEndpoints.GetAsync(devices, type, call.Circuit()).ConfigureAwait(false))));

    private static Method Write(string type, Func<RpcCall, (string Name, string Value)[]> properties, Func<JsonObject, JsonNode?> answer) => new(true, async (call, devices) =>
    {
        var assignments = properties(call).Select(property => new PropertyAssignment(property.Name, property.Value)).ToImmutableArray();
        return answer(Json(await EvokHttpEndpoints.SetAsync(devices, type, call.Circuit(), assignments).ConfigureAwait(false)));
    });

    /// <summary>Evok's <c>*_set_for_time</c> refuses a timeout that is not positive.</summary>
    private static string Timeout(RpcCall call) => call.Number(2, "timeout") > 0
        ? call.Text(2, "timeout")
        : throw new JsonRpcException(JsonRpcException.InvalidParams, $"Invalid timeout {call.Text(2, "timeout")}");

    /// <summary>Evok's <c>owbus_list</c>: the bus's sensor addresses by sensor type.</summary>
    private static async Task<JsonNode?> OwBusListAsync(RpcCall call, EvokDevices devices)
    {
        await EvokHttpEndpoints.GetAsync(devices, "owbus", call.Circuit()).ConfigureAwait(false);
        var list = new JsonObject();
        foreach (var sensor in (await devices.ListAsync("sensor").ConfigureAwait(false)).Select(Json))
        {
            var type = sensor["type"]?.GetValue<string>() ?? "unknown";
            if (list[type] is not JsonArray addresses)
            {
                list[type] = addresses = [];
            }

            addresses.Add(Copy(sensor["address"]));
        }

        return list;
    }

    // Evok 3's names: the RPC's answers are the same in either naming, the properties are read from one.
    private static JsonObject Json(Abstractions.Devices.DeviceState state) => JsonNode.Parse(state.ToJson(EvokJsonStyle.Evok3))!.AsObject();

    private static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
