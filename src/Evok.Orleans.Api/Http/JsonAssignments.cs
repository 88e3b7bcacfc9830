using System.Collections.Immutable;
using System.Text.Json;
using Evok.Orleans.Abstractions.Writes;

namespace Evok.Orleans.Api.Http;

/// <summary>Turns a JSON request body (<c>{"value": 1, "mode": "Current"}</c>) into property assignments, or a 400.</summary>
public static class JsonAssignments
{
    public static ImmutableArray<PropertyAssignment> From(JsonElement values)
    {
        try
        {
            return PropertyAssignments.FromJsonObject(values);
        }
        catch (DeviceWriteException exception)
        {
            throw ApiError.BadRequest(exception.Property, exception.Message);
        }
    }
}
