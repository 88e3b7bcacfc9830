using System.Globalization;
using System.Text.Json;

namespace Evok.Orleans.Api.Rpc;

/// <summary>
/// The parameters of one call, given by position (<c>["1_01", 1]</c>) or by name (<c>{"circuit": "1_01", "value": 1}</c>)
/// as Evok's handler takes both.
/// </summary>
internal sealed class RpcCall(string method, JsonElement? parameters)
{
    public string Method { get; } = method;

    /// <summary>The parameter at <paramref name="position"/>, or named <paramref name="name"/>; missing is InvalidParams.</summary>
    public JsonElement Required(int position, string name) =>
        Optional(position, name) ?? throw new JsonRpcException(JsonRpcException.InvalidParams, $"{Method} needs its parameter '{name}'");

    public JsonElement? Optional(int position, string name)
    {
        switch (parameters)
        {
            case { ValueKind: JsonValueKind.Array } list when position < list.GetArrayLength():
                return list[position];
            case { ValueKind: JsonValueKind.Object } named when named.TryGetProperty(name, out var value):
                return value;
            default:
                return null;
        }
    }

    /// <summary>A circuit as Evok's clients send it: <c>"1_01"</c>, or a bare number for a 1-Wire bus or board.</summary>
    public string Circuit() => Text(0, "circuit");

    /// <summary>A parameter as the text a REST form field would carry (<c>1</c>, <c>2.5</c>, <c>true</c> → 1).</summary>
    public string Text(int position, string name) => Required(position, name) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
        { ValueKind: JsonValueKind.True } => "1",
        { ValueKind: JsonValueKind.False } => "0",
        _ => throw new JsonRpcException(JsonRpcException.InvalidParams, $"{Method}: '{name}' must be a string or a number"),
    };

    /// <summary>A number parameter, given as a number or as its text.</summary>
    public double Number(int position, string name) =>
        double.TryParse(Text(position, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new JsonRpcException(JsonRpcException.InvalidParams, $"{Method}: '{name}' must be a number");
}
