using System.Collections.Immutable;
using System.Text.Json;

namespace Evok.Orleans.Abstractions.Writes;

/// <summary>Reads what Evok's APIs accept as a write: a JSON object of properties (<c>{"value": 1, "mode": "Current"}</c>).</summary>
public static class PropertyAssignments
{
    /// <exception cref="DeviceWriteException">Not an object, or a property that is not a number, a string or a boolean.</exception>
    public static ImmutableArray<PropertyAssignment> FromJsonObject(JsonElement values)
    {
        if (values.ValueKind != JsonValueKind.Object)
        {
            throw new DeviceWriteException("body", "expected a JSON object of properties, like {\"value\": 1}");
        }

        return [.. values.EnumerateObject().Select(property => new PropertyAssignment(property.Name, Text(property)))];
    }

    private static string Text(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString()!,
        JsonValueKind.Number => property.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new DeviceWriteException(property.Name, $"{property.Name} must be a number, a string or a boolean"),
    };
}
