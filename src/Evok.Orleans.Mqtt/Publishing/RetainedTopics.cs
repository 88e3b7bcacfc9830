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
                    // Published, due or being sent already: the broker gets it (a failed send makes it due again).
                    return;
                }

                entry.Payload = payload;
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

    /// <summary>Up to <paramref name="max"/> due topics, oldest first, each once; a topic offered again meanwhile is due again.</summary>
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
                taken.Add(new RetainedMessage(first.Value, entry.Payload));
            }

            return taken;
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

        public bool Due { get; set; }
    }
}
