using System.Buffers;
using System.Collections.Immutable;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Api.Security;
using Evok.Orleans.Client;
using Evok.Orleans.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Evok.Orleans.Api.Http;

/// <summary>
/// Evok's REST (<c>/rest</c>, form fields) and JSON (<c>/json</c>, JSON bodies) API. Reads are answered from grain
/// state; writes go through the circuit grains and answer with the state read back from the board.
/// </summary>
public static class EvokHttpEndpoints
{
    private const string Json = "application/json";

    /// <summary>Maps the endpoints: reads need the <c>read</c> role, anything that changes state <c>write</c> (when apis.auth is on).</summary>
    public static IEndpointRouteBuilder MapEvokHttp(this IEndpointRouteBuilder routes)
    {
        var reads = routes.MapGroup(string.Empty).RequireAuthorization(ApiAccess.Read);
        var writes = routes.MapGroup(string.Empty).RequireAuthorization(ApiAccess.Write);
        // Evok answers its package version with a leading v ("v3.0.2"); ours in the same shape.
        reads.MapGet("/version", () => Results.Text($"v{Version}", "text/plain"));
        reads.MapGet("/status", async (RequestDevices addressed) =>
        {
            try
            {
                return Results.Json(SiteStatusJson.From(await addressed.Devices.StatusAsync()));
            }
            catch (NodeUnavailableException exception)
            {
                return Unavailable(exception);
            }
        });
        foreach (var api in new[] { "rest", "json" })
        {
            reads.MapGet($"/{api}/all", (RequestDevices addressed) => Answer(async () => DeviceJson.List(await addressed.Devices.ListAsync(), addressed.Devices.JsonStyle)));
            reads.MapGet($"/{api}/{{type}}/all", (string type, RequestDevices addressed) => Answer(async () =>
            {
                KnownType(type);
                return DeviceJson.List(await addressed.Devices.ListAsync(type), addressed.Devices.JsonStyle);
            }));
            // Evok's {type}/all/{property}: one {"circuit", property} object per device of the type.
            reads.MapGet($"/{api}/{{type}}/all/{{property}}", (string type, string property, RequestDevices addressed) => Answer(async () =>
            {
                KnownType(type);
                return DeviceJson.PropertyList(await addressed.Devices.ListAsync(type), property, addressed.Devices.JsonStyle);
            }));
            reads.MapGet($"/{api}/{{type}}/{{circuit}}", (string type, string circuit, RequestDevices addressed) =>
                Answer(async () => (await GetAsync(addressed.Devices, type, circuit)).ToJson(addressed.Devices.JsonStyle)));
            reads.MapGet($"/{api}/{{type}}/{{circuit}}/history", (string type, string circuit, HttpContext context, RequestDevices addressed) => Answer(async () =>
            {
                var state = await GetAsync(addressed.Devices, type, circuit);
                var (from, to, limit) = HistoryJson.Query(context.Request.Query);

                // Each controller keeps its own journal: another node's history is asked of that node.
                var journal = addressed.Devices.Node == context.RequestServices.GetRequiredService<EvokDevices>().Node
                    ? context.RequestServices.GetService<ChangeJournal>()
                    : null;
                if (journal is null)
                {
                    throw ApiError.NotFound(type, $"{circuit}/history");
                }

                return HistoryJson.Render(DeviceJson.DevName(state, addressed.Devices.JsonStyle), state.Circuit, await journal.HistoryAsync(state.Key, from, to, limit));
            }));
            reads.MapGet($"/{api}/{{type}}/{{circuit}}/{{property}}", (string type, string circuit, string property, RequestDevices addressed) =>
                Answer(async () => DeviceJson.Property(await GetAsync(addressed.Devices, type, circuit), property, addressed.Devices.JsonStyle)));
        }

        // Evok routes a POST to /{type}/{circuit}/{property} (its documented alias call: .../alias with alias=...) as one to
        // /{type}/{circuit}: the body says what is set, the last segment is not read.
        foreach (var path in new[] { "{type}/{circuit}", "{type}/{circuit}/{property}" })
        {
            writes.MapPost($"/rest/{path}", (string type, string circuit, HttpRequest request, RequestDevices addressed) => Answer(async () =>
            {
                var assignments = await ReadFormAsync(request);
                return DeviceJson.Success((await SetAsync(addressed.Devices, type, circuit, assignments)).ToJson(addressed.Devices.JsonStyle));
            }));
            writes.MapPost($"/json/{path}", (string type, string circuit, HttpRequest request, RequestDevices addressed) => Answer(async () =>
            {
                var body = await ReadJsonAsync(request);
                return DeviceJson.Success((await SetAsync(addressed.Devices, type, circuit, JsonAssignments.From(body))).ToJson(addressed.Devices.JsonStyle));
            }));
        }

        // Evok's run/alias: the alias table; a POST with save=1 asks for it to be written now, which every change already is.
        foreach (var api in new[] { "rest", "json" })
        {
            reads.MapGet($"/{api}/run/alias", (RequestDevices addressed) => Answer(() => AliasTableAsync(addressed.Devices)));
            writes.MapPost($"/{api}/run/alias", (RequestDevices addressed) => Answer(async () => DeviceJson.Success(await AliasTableAsync(addressed.Devices))));
        }

        writes.MapPost("/bulk", (HttpRequest request, RequestDevices addressed) => Answer(async () =>
        {
            var body = await ReadJsonAsync(request);
            // Evok answers a bulk request with the sections themselves, not in {"success", "result"}.
            return await BulkRequest.ExecuteAsync(body, addressed.Devices);
        }));
        return routes;
    }

    /// <summary>The alias table, each device type named as the site's <c>json_names</c> names it (Evok 3: <c>ro</c>, <c>di</c>).</summary>
    private static async Task<string> AliasTableAsync(EvokDevices devices)
    {
        var aliases = await devices.AliasesAsync();
        if (devices.JsonStyle == EvokJsonStyle.Evok2 || aliases.Count == 0)
        {
            return DeviceJson.AliasTable(aliases, key => key[..key.IndexOf(':', StringComparison.Ordinal)]);
        }

        var names = (await devices.ListAsync()).Where(state => state.Alias is not null).ToDictionary(state => state.Key, state => DeviceJson.DevName(state, devices.JsonStyle), StringComparer.Ordinal);
        return DeviceJson.AliasTable(aliases, key => names.GetValueOrDefault(key) ?? key[..key.IndexOf(':', StringComparison.Ordinal)]);
    }

    internal static string Version { get; } =
        typeof(EvokHttpEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static void KnownType(string type)
    {
        if (!DeviceTypeNames.TryResolve(type, out _))
        {
            throw ApiError.NotFound(type, "all");
        }
    }

    internal static async Task<DeviceState> GetAsync(EvokDevices devices, string type, string circuit)
    {
        try
        {
            return await devices.GetAsync(type, circuit);
        }
        catch (DeviceNotFoundException)
        {
            throw ApiError.NotFound(type, circuit);
        }
        catch (DeviceNotReadException exception)
        {
            throw ApiError.NotRead(exception.Message);
        }
    }

    internal static async Task<DeviceState> SetAsync(EvokDevices devices, string type, string circuit, ImmutableArray<PropertyAssignment> assignments)
    {
        if (assignments.IsEmpty)
        {
            throw ApiError.BadRequest("body", "nothing to set: give at least one property, like value=1");
        }

        if (assignments.Length > MaxAssignments)
        {
            throw ApiError.BadRequest("body", $"{assignments.Length} properties in one request; at most {MaxAssignments}");
        }

        try
        {
            return await devices.SetAsync(type, circuit, assignments);
        }
        catch (DeviceNotFoundException)
        {
            throw ApiError.NotFound(type, circuit);
        }
        catch (DeviceWriteException exception)
        {
            throw ApiError.BadRequest(exception.Property, exception.Message);
        }
        catch (BusWriteException exception)
        {
            // The value was valid but the bus did not take it. Evok's error shape, with a gateway status: the fault
            // is behind us.
            throw new ApiError(
                exception.TimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, "bus", $"{type} '{circuit}' was not written: {exception.Message}");
        }
    }

    /// <summary>The most properties one request sets: Evok's devices have a dozen at most.</summary>
    internal const int MaxAssignments = 64;

    /// <summary>
    /// Reads a JSON body (at most <see cref="MaxBodyBytes"/>, one value, nested 64 deep at most). Not with
    /// <c>JsonDocument.ParseAsync</c>: it rents the body's bytes and its token table from the shared array pool, and a
    /// pool keeps a buffer per thread and size — a client that sent large bodies left ~30 MB of 0.5–1 MB buffers
    /// behind for good (issue 15, <c>-- hostile</c>). Here the body is copied from Kestrel's pipe (whose blocks go back to
    /// Kestrel's pool) into one array of its size, and the parsed value owns unpooled memory that the GC frees.
    /// </summary>
    internal static async Task<JsonElement> ReadJsonAsync(HttpRequest request)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request.BodyReader);
        }
        catch (BadHttpRequestException exception)
        {
            throw BodyRefused(exception);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            var value = JsonElement.ParseValue(ref reader);
            // Whatever follows the value must be blank: the reader throws on anything else.
            reader.Read();

            return value;
        }
        catch (JsonException exception)
        {
            throw ApiError.BadRequest("body", $"the body is not JSON: {exception.Message}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(PipeReader body)
    {
        while (true)
        {
            var read = await body.ReadAsync();
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                body.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            // Nothing consumed yet, all of it examined: the next read waits for more of the body.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async Task<ImmutableArray<PropertyAssignment>> ReadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return [];
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = MaxAssignments, MultipartBodyLengthLimit = MaxBodyBytes });
        }
        catch (BadHttpRequestException exception)
        {
            throw BodyRefused(exception);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            // A NUL in a value, too many fields, a multipart body cut short: the form cannot be read.
            throw ApiError.BadRequest("body", $"the form cannot be read: {exception.Message}");
        }

        return [.. form.Select(field => new PropertyAssignment(field.Key, field.Value.ToString()))];
    }

    /// <summary>The largest request body the API reads (Evok's are a few hundred bytes; a large bulk request a few dozen KB).</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    private static ApiError BodyRefused(BadHttpRequestException exception) =>
        new(exception.StatusCode, "body", exception.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? $"the body is larger than {MaxBodyBytes / 1024} KB"
            : exception.Message);

    private static async Task<IResult> Answer(Func<Task<string>> produce)
    {
        try
        {
            return Results.Content(await produce(), Json);
        }
        catch (ApiError error)
        {
            return Results.Content(error.ToJson(), Json, statusCode: error.Status);
        }
        catch (NodeUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    private static IResult Unavailable(NodeUnavailableException exception)
    {
        var error = ApiError.NodeUnavailable(exception);
        return Results.Content(error.ToJson(), Json, statusCode: error.Status);
    }
}
