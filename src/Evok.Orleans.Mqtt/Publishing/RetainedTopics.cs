using System.Threading.Channels;

namespace Evok.Orleans.Mqtt.Publishing;

/// <summary>
/// The latest payload of every retained topic this silo publishes (one per circuit, board availability and discovery
/// config: bounded by the site, never by how long the broker is away), and which of them the broker has not got yet,
/// in the order they became due. A topic that changes again before it is sent is sent once, with its newest payload:
/// the coalescing a webhook outbox does, and exactly what a retained topic means. Offers never wait for the broker.
/// </summary>
public sealed class RetainedTopics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _due = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Topics whose newest payload the broker has not acknowledged.</summary>
    public int DueCount
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    public void Offer(string topic, string payload)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(topic, out var entry))
            {
                if (entry.Payload == payload)
                {
                    // Published, due or in flight already: the broker gets it (or it is made due again on failure).
                    return;
                }

                entry.Payload = payload;
                entry.Version++;
                entry.Published = false;
            }
            else
            {
                entry = new Entry { Payload = payload };
                _entries.Add(topic, entry);
            }

            MakeDue(topic, entry);
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>Up to <paramref name="max"/> due topics, oldest first, each once, now in flight.</summary>
    public IReadOnlyList<RetainedMessage> TakeDue(int max)
    {
        lock (_gate)
        {
            var taken = new List<RetainedMessage>(Math.Min(max, _due.Count));
            while (taken.Count < max && _due.First is { } first)
            {
                _due.RemoveFirst();
                var entry = _entries[first.Value];
                entry.Due = false;
                entry.InFlight = true;
                taken.Add(new RetainedMessage(first.Value, entry.Payload, entry.Version));
            }

            return taken;
        }
    }

    /// <summary>The broker acknowledged these; a topic offered again meanwhile stays due with its newer payload.</summary>
    public void Acknowledged(IEnumerable<RetainedMessage> messages)
    {
        lock (_gate)
        {
            foreach (var message in messages)
            {
                var entry = _entries[message.Topic];
                entry.InFlight = false;
                entry.Published |= entry.Version == message.Version;
            }
        }
    }

    /// <summary>These did not reach the broker: they go back to the front, in their order, unless a newer payload is already due.</summary>
    public void NotSent(IReadOnlyList<RetainedMessage> messages)
    {
        lock (_gate)
        {
            for (var index = messages.Count - 1; index >= 0; index--)
            {
                var entry = _entries[messages[index].Topic];
                entry.InFlight = false;
                if (!entry.Due)
                {
                    entry.Due = true;
                    _due.AddFirst(messages[index].Topic);
                }
            }
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>
    /// Makes every topic that <paramref name="which"/> selects due again: after a (re)connection, since the broker may
    /// have lost its retained messages, and for Home Assistant's discovery when it restarts.
    /// </summary>
    public void MakeAllDue(Func<string, bool>? which = null)
    {
        lock (_gate)
        {
            foreach (var (topic, entry) in _entries)
            {
                if (which is null || which(topic))
                {
                    entry.Published = false;
                    MakeDue(topic, entry);
                }
            }
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>True when <paramref name="topic"/> has been offered (and so is one this silo keeps retained).</summary>
    public bool Contains(string topic)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(topic);
        }
    }

    /// <summary>Completes when something may be due.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _signal.Reader.WaitToReadAsync(cancellationToken);
        _signal.Reader.TryRead(out _);
    }

    private void MakeDue(string topic, Entry entry)
    {
        if (!entry.Due)
        {
            entry.Due = true;
            _due.AddLast(topic);
        }
    }

    private sealed class Entry
    {
        public required string Payload { get; set; }

        public long Version { get; set; }

        public bool Due { get; set; }

        public bool InFlight { get; set; }

        public bool Published { get; set; }
    }
}
