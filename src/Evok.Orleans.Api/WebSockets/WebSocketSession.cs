using System.Collections.Immutable;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Events;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Api.Http;
using Evok.Orleans.Client;
using Evok.Orleans.Journal;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Api.WebSockets;

/// <summary>
/// One WebSocket client: gets a JSON array of changed devices for every change batch its filter keeps, and may send
/// Evok's commands (all, filter, set, full). Anything it sends that is not such a command is ignored and the
/// connection stays open. A client that reads too slowly loses its oldest pending messages, never the silo's time.
/// <c>{"cmd": "resume", "since": N}</c> (ours) switches the connection to the change journal: the changes after N
/// first, then live ones, each device object with its journal number <c>"seq"</c>, paced by what the client reads.
/// </summary>
internal sealed partial class WebSocketSession
{
    private const int MaxMessageBytes = 64 * 1024;
    // UTF-8, encoded once when queued: a slow client's queue holds half the bytes strings would.
    private readonly Channel<byte[]> _outgoing;

    // The reply to an `all` waiting to be sent (the whole site, tens of KB): while one waits, another `all` is
    // ignored, so a client that asks and never reads holds one such reply, not a thousand.
    private byte[]? _pendingAll;

    private readonly WebSocket _socket;
    private readonly EvokDevices _devices;
    private readonly SiteReplyCache _allReplies;
    private readonly bool _allFiltered;
    private readonly bool _canWrite;
    private readonly ILogger _logger;
    private readonly ChangeJournal? _journal;
    private readonly CancellationTokenSource _closed = new();
    private Task _replay = Task.CompletedTask;
    private volatile bool _resumed;

    /// <summary>A resumed connection's replay waits while this many messages wait to be sent: it is paced by the client.</summary>
    private const int ReplayQueue = 64;

    public WebSocketSession(WebSocket socket, EvokDevices devices, SiteReplyCache allReplies, bool allFiltered, bool canWrite, ChangeJournal? journal, ILogger logger)
    {
        _journal = journal;
        _socket = socket;
        _devices = devices;
        _allReplies = allReplies;
        _allFiltered = allFiltered;
        _canWrite = canWrite;
        _logger = logger;
        _outgoing = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => Interlocked.CompareExchange(ref _pendingAll, null, dropped));
    }

    private DeviceMask _filter = DeviceMask.Everything;

    public void Push(DeviceChangeBatch batch)
    {
        if (_resumed)
        {
            // A resumed connection takes its changes from the journal, in its order and numbered.
            return;
        }

        var filter = _filter;
        var text = new StringBuilder("[");
        foreach (var change in batch.Changes)
        {
            if (filter.Contains(change.Kind))
            {
                text.Append(text.Length > 1 ? ", " : string.Empty).Append(change.Json);
            }
        }

        if (text.Length > 1)
        {
            _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(text.Append(']').ToString()));
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sender = SendAsync(cancellationToken);
        try
        {
            await ReceiveAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            await _closed.CancelAsync();
            await _replay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _outgoing.Writer.TryComplete();
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _closed.Dispose();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
        {
            Interlocked.CompareExchange(ref _pendingAll, null, message);
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            if (message.Length + result.Count <= MaxMessageBytes)
            {
                message.Write(buffer, 0, result.Count);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text && message.Length <= MaxMessageBytes)
            {
                await HandleAsync(message.ToArray());
            }

            message.SetLength(0);
        }
    }

    private async Task HandleAsync(byte[] text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var command = document.RootElement;
            switch (command.ValueKind == JsonValueKind.Object && command.TryGetProperty("cmd", out var cmd) ? cmd.GetString() : null)
            {
                case "all":
                    if (Volatile.Read(ref _pendingAll) is not null)
                    {
                        LogIgnored("an all is already waiting to be sent");
                        break;
                    }

                    var filter = _filter;
                    var reply = _allFiltered && filter != DeviceMask.Everything
                        ? Encoding.UTF8.GetBytes(DeviceJson.List((await _devices.ListAsync()).Where(state => filter.Contains(state.Kind)), _devices.JsonStyle))
                        : await _allReplies.GetAsync();
                    Volatile.Write(ref _pendingAll, reply);
                    _outgoing.Writer.TryWrite(reply);
                    break;
                case "filter":
                    _filter = Filter(command.GetProperty("devices"));
                    break;
                case "full":
                    var state = await _devices.GetAsync(command.GetProperty("dev").GetString()!, Circuit(command));
                    _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(state.ToJson(_devices.JsonStyle)));
                    break;
                // Evok calls the device method the command names: set (with the properties, or a value object of
                // them), set_state (outputs) and set_value (AO) write the value; only full is answered.
                case "set" or "set_state" or "set_value":
                    await SetAsync(command);
                    break;
                case "resume" when _journal is not null && !_resumed:
                    var since = command.GetProperty("since").GetInt64();
                    if (since < 0)
                    {
                        throw new ArgumentException("since must be 0 or more");
                    }

                    _resumed = true;
                    _replay = ReplayAsync(_journal, since, _closed.Token);
                    break;
                case "get" or "get_state" or "get_value" or "simple":
                    // Evok reads these and sends nothing back: accepted, nothing to do.
                    break;
                default:
                    LogIgnored("unknown command");
                    break;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException
            or ArgumentException or DeviceNotFoundException or DeviceNotReadException or DeviceWriteException or ApiError)
        {
            LogIgnored(exception.Message);
        }
    }

    /// <summary>
    /// The journal's changes after <paramref name="since"/>, then live ones, one message per batch. A number the
    /// journal no longer holds (or never did: another controller's, or one from before a memory journal restarted) is
    /// said with <c>{"cmd": "gap", ...}</c>, followed by every device's current state numbered with the newest change.
    /// </summary>
    private async Task ReplayAsync(ChangeJournal journal, long since, CancellationToken cancellationToken)
    {
        try
        {
            var after = since;
            var (oldest, last) = (journal.OldestSeq, journal.LastSeq);
            if (since > last || (since > 0 && since + 1 < oldest))
            {
                var filter = _filter;
                var states = (await _devices.ListAsync()).Where(state => filter.Contains(state.Kind)).Select(state => JournalEntry.WithSeq(state.ToJson(_devices.JsonStyle), last));
                await QueueAsync($"{{\"cmd\": \"gap\", \"since\": {since}, \"oldest\": {oldest}, \"seq\": {last}}}", cancellationToken);
                await QueueAsync($"[{string.Join(", ", states)}]", cancellationToken);
                after = last;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                await journal.WaitAfterAsync(after, cancellationToken);
                foreach (var batch in JournalBatches.Split(await journal.ReadAfterAsync(after, 256)))
                {
                    var filter = _filter;
                    var kept = batch.Where(entry => filter.Contains(entry.Kind)).Select(entry => entry.JsonWithSeq()).ToList();
                    if (kept.Count > 0)
                    {
                        await QueueAsync($"[{string.Join(", ", kept)}]", cancellationToken);
                    }

                    after = batch[^1].Seq;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task QueueAsync(string message, CancellationToken cancellationToken)
    {
        while (_outgoing.Reader.Count >= ReplayQueue)
        {
            await Task.Delay(10, cancellationToken);
        }

        _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(message));
    }

    /// <summary>A set whose write fails on the bus answers this client with Evok's error JSON; the connection stays.</summary>
    private async Task SetAsync(JsonElement command)
    {
        if (!_canWrite)
        {
            // A read token watches; the refusal is answered and the connection stays.
            _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(new ApiError(403, "Forbidden", "this connection's token may read, not write").ToJson()));
            return;
        }

        var type = command.GetProperty("dev").GetString()!;
        try
        {
            await EvokHttpEndpoints.SetAsync(_devices, type, Circuit(command), Assignments(command));
        }
        catch (ApiError error) when (error.Status >= 500)
        {
            _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(error.ToJson()));
        }
    }

    private static string Circuit(JsonElement command) => command.GetProperty("circuit") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        var other => other.GetRawText(),
    };

    private static ImmutableArray<PropertyAssignment> Assignments(JsonElement command)
    {
        // {"cmd": "set", ..., "value": {"value": 1, "timeout": 5}}: Evok passes an object value on as the properties.
        if (command.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object)
        {
            return JsonAssignments.From(value);
        }

        var properties = new Dictionary<string, JsonElement>();
        foreach (var property in command.EnumerateObject())
        {
            if (property.Name is not ("cmd" or "dev" or "circuit"))
            {
                properties[property.Name] = property.Value;
            }
        }

        return JsonAssignments.From(JsonSerializer.SerializeToElement(properties));
    }

    /// <summary><c>["default"]</c> (or an empty list) means every type, as in Evok.</summary>
    private static DeviceMask Filter(JsonElement devices)
    {
        var names = devices.EnumerateArray().Select(name => name.GetString() ?? string.Empty).ToList();
        if (names.Count == 0 || names.Contains("default"))
        {
            return DeviceMask.Everything;
        }

        return DeviceMask.TryParse(names, out var mask, out var unknown) ? mask : throw new ArgumentException($"unknown device type '{unknown}'");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket message ignored: {Reason}")]
    private partial void LogIgnored(string reason);
}
