using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Json;
using Microsoft.AspNetCore.Http;

namespace Evok.Orleans.Api.Http;

/// <summary>A request the API refuses, with Evok's error body <c>{"success": false, "errors": {"key": "message"}}</c>.</summary>
public sealed class ApiError(int status, string key, string message) : Exception(EvokErrorJson.Bounded(message))
{
    public int Status { get; } = status;

    public string Key { get; } = key;

    public static ApiError NotFound(string type, string circuit) =>
        new(StatusCodes.Status404NotFound, "DeviceNotFound", $"no {type} device '{circuit}'");

    /// <summary>The circuit exists but has no state yet: 503, so a client retries instead of concluding it is gone.</summary>
    public static ApiError NotRead(string message) => new(StatusCodes.Status503ServiceUnavailable, "DeviceNotRead", message);

    /// <summary>The controller a request addresses (<c>/nodes/plc2/...</c>) is down or not in the site.</summary>
    public static ApiError NodeUnavailable(NodeUnavailableException exception) =>
        new(StatusCodes.Status503ServiceUnavailable, "NodeUnavailable", exception.Message);

    public static ApiError BadRequest(string key, string message) => new(StatusCodes.Status400BadRequest, key, message);

    /// <summary>Answers a request with this error (for middleware that refuses before an endpoint runs).</summary>
    public async Task WriteToAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        await response.WriteAsync(ToJson());
    }

    public string ToJson() => EvokErrorJson.Render(Key, Message);

}
