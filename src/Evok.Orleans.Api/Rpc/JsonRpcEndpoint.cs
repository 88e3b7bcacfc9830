using System.Text.Json;
using System.Text.Json.Nodes;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Evok.Orleans.Api.Rpc;

/// <summary>
/// Evok's <c>POST /rpc</c>: JSON-RPC 2.0 (a call, a batch of calls, notifications) over <see cref="EvokRpcMethods"/>.
/// Errors are JSON-RPC errors with the specification's codes, answered with HTTP 200 as JSON-RPC over HTTP does: an
/// unknown method is -32601, a missing or bad parameter and an unknown device -32602, a body that is not JSON -32700.
/// </summary>
public static class JsonRpcEndpoint
{
    /// <summary>The most calls one batch may hold: a batch stays one request's worth of work, as a bulk request does.</summary>
    public const int MaxBatch = 256;

    /// <summary>Maps <c>/rpc</c>: any token may call, a method that writes needs the write role (when apis.auth is on).</summary>
    public static IEndpointRouteBuilder MapEvokRpc(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/rpc", async (HttpContext context, RequestDevices addressed, EvokApiOptions options) =>
        {
            var canWrite = !options.AuthenticationRequired || context.User.IsInRole(ApiAccess.WriteRole);
            JsonElement body;
            try
            {
                body = await EvokHttpEndpoints.ReadJsonAsync(context.Request);
            }
            catch (ApiError error)
            {
                return Answer(Error(null, error.Status == StatusCodes.Status400BadRequest ? JsonRpcException.ParseError : JsonRpcException.InvalidRequest, error.Message));
            }

            if (body.ValueKind != JsonValueKind.Array)
            {
                return Answer(await CallAsync(body, addressed.Devices, canWrite) ?? (JsonNode?)null);
            }

            if (body.GetArrayLength() is 0 or > MaxBatch)
            {
                return Answer(Error(null, JsonRpcException.InvalidRequest, $"a batch holds 1 to {MaxBatch} calls"));
            }

            var answers = new JsonArray();
            foreach (var call in body.EnumerateArray())
            {
                if (await CallAsync(call, addressed.Devices, canWrite) is { } answer)
                {
                    answers.Add(answer);
                }
            }

            return Answer(answers.Count > 0 ? answers : null);
        }).RequireAuthorization(ApiAccess.Read);
        return routes;
    }

    /// <summary>One call's answer, or null for a notification (a call without <c>id</c>), which is answered by nothing.</summary>
    private static async Task<JsonObject?> CallAsync(JsonElement request, EvokDevices devices, bool canWrite)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return Error(null, JsonRpcException.InvalidRequest, "a call is a JSON object");
        }

        var hasId = request.TryGetProperty("id", out var idElement);
        var id = hasId && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null ? JsonNode.Parse(idElement.GetRawText()) : null;
        try
        {
            if (hasId && idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                throw new JsonRpcException(JsonRpcException.InvalidRequest, "id must be a string, a number or null");
            }

            if (!request.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            {
                throw new JsonRpcException(JsonRpcException.InvalidRequest, "jsonrpc must be \"2.0\"");
            }

            if (!request.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
            {
                throw new JsonRpcException(JsonRpcException.InvalidRequest, "method must be a string");
            }

            var name = methodElement.GetString()!;
            JsonElement? parameters = request.TryGetProperty("params", out var given) ? given : null;
            if (parameters is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object) })
            {
                throw new JsonRpcException(JsonRpcException.InvalidRequest, "params must be a list or an object");
            }

            var method = EvokRpcMethods.All.GetValueOrDefault(name) ?? throw new JsonRpcException(JsonRpcException.MethodNotFound, $"Method '{name}' not found!");
            if (method.Writes && !canWrite)
            {
                throw new JsonRpcException(JsonRpcException.Forbidden, $"this token may read, not write: {name} writes");
            }

            var result = await method.Invoke(new RpcCall(name, parameters), devices);
            return hasId ? new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result } : null;
        }
        catch (Exception exception) when (exception is JsonRpcException or ApiError or NodeUnavailableException)
        {
            var code = exception switch
            {
                JsonRpcException rpc => rpc.Code,
                ApiError { Status: < 500 } => JsonRpcException.InvalidParams,
                _ => JsonRpcException.ServerError,
            };

            // A notification is answered by nothing, its failure too (JSON-RPC 2.0, section 4.1), unless the call
            // itself could not be read.
            return hasId || code == JsonRpcException.InvalidRequest ? Error(id, code, exception.Message) : null;
        }
    }

    private static JsonObject Error(JsonNode? id, int code, string message) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static IResult Answer(JsonNode? answer) =>
        answer is null ? Results.NoContent() : Results.Content(answer.ToJsonString(), "application/json");
}
