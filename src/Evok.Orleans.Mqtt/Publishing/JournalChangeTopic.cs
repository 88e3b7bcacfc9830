using Evok.Orleans.Journal;

namespace Evok.Orleans.Mqtt.Publishing;

/// <summary>
/// What <c>&lt;base&gt;/changes</c> carries: every change of the change journal, numbered (<c>"seq"</c>), from the
/// one after the number the broker acknowledged last. That number is kept with the webhook outboxes' places and
/// written with the journal's group commit, so after a broker outage, a <c>kill -9</c> or a power cut the topic picks
/// up where the broker stopped acknowledging: at least once (a subscriber drops a number it has had), in order.
/// </summary>
public sealed class JournalChangeTopic
{
    /// <summary>The name its place is kept under, next to the webhooks' (whose names cannot contain ':').</summary>
    public const string CursorName = "mqtt:changes";

    private readonly MqttBridgeOptions _options;
    private readonly ChangeJournal _journal;
    private long _acknowledged;

    public JournalChangeTopic(MqttBridgeOptions options, ChangeJournal journal)
    {
        _options = options;
        _journal = journal;
        if (journal.CursorOf(CursorName) is { } cursor)
        {
            _acknowledged = cursor.Cursor;
        }
        else
        {
            // The first run with the topic on starts from now, not from a week of journal; kept at once, so changes
            // made before the broker is first reached are not skipped after a restart.
            _acknowledged = journal.LastSeq;
            Acknowledged(_acknowledged);
        }
    }

    public string Topic => _options.Topics.Changes;

    /// <summary>
    /// The next payloads, oldest first, once there is something after the acknowledged number, and the journal number
    /// an acknowledgement of all of them reaches. A number the journal no longer holds comes first as
    /// <c>{"gap": true, "since": N, "oldest": O, "seq": S}</c>: what lies between is gone, the retained state topics
    /// have every circuit's present state.
    /// </summary>
    public async Task<(IReadOnlyList<string> Payloads, long Through)> NextAsync(int max, CancellationToken cancellationToken)
    {
        var after = _acknowledged;
        var last = _journal.LastSeq;
        if (after > last)
        {
            // Numbers from a journal that is no more (its file removed, or storage: memory across a restart).
            return ([Gap(after, _journal.OldestSeq, last)], last);
        }

        await _journal.WaitAfterAsync(after, cancellationToken);
        var entries = await _journal.ReadAfterAsync(after, max);
        if (entries.Count == 0)
        {
            return ([], after);
        }

        var payloads = new List<string>(entries.Count + 1);
        if (entries[0].Seq > after + 1)
        {
            payloads.Add(Gap(after, entries[0].Seq, entries[0].Seq - 1));
        }

        var mask = _options.Broker.DeviceMask;
        payloads.AddRange(entries.Where(entry => mask.Contains(entry.Kind)).Select(entry => entry.JsonWithSeq()));
        return (payloads, entries[^1].Seq);
    }

    /// <summary>The broker has acknowledged everything up to <paramref name="through"/>.</summary>
    public void Acknowledged(long through)
    {
        _acknowledged = through;
        _journal.SaveCursor(new OutboxCursor(CursorName, through, HeadId: null, HeadSeqs: []));
    }

    private static string Gap(long since, long oldest, long seq) =>
        $"{{\"gap\": true, \"since\": {since}, \"oldest\": {oldest}, \"seq\": {seq}}}";
}
