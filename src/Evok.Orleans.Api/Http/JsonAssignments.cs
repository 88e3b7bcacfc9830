using System.Collections.Immutable;
using System.Text.Json;
using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.Api.Http;

/// <summary>Turns a JSON object (<c>{"value": 1, "mode": "Current"}</c>) into property assignments as text.</summary>
public static class JsonAssignments
{
    public static ImmutableArray<PropertyAssignment> From(JsonElement values)
    {
        if (values.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.BadRequest("body", "expected a JSON object of properties, like {\"value\": 1}");
        }

        return [.. values.EnumerateObject().Select(property => new PropertyAssignment(property.Name, Text(property)))];
    }

    private static string Text(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString()!,
        JsonValueKind.Number => property.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw ApiError.BadRequest(property.Name, $"{property.Name} must be a number, a string or a boolean"),
    };
}
