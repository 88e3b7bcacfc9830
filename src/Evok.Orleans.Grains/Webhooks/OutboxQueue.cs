using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Grains.Webhooks;

/// <summary>
/// Adds a delivery to an outbox under its overflow policy, and joins waiting deliveries into one request. A head
/// once <see cref="PendingDelivery.Sent"/> (in flight, or tried before a restart) is never touched. Coalescing keeps
/// the latest state of each circuit: a receiver that comes back gets every circuit's current state, in order,
/// without the intermediate ones.
/// </summary>
internal static class OutboxQueue
{
    /// <summary>Returns how many waiting deliveries were dropped or merged away.</summary>
    public static int Add(List<PendingDelivery> pending, PendingDelivery delivery, WebhookConfiguration webhook)
    {
        var dropped = 0;

        // The head in flight is always one marked sent: the pump marks it before the first attempt.
        var first = pending.Count > 0 && pending[0].Sent ? 1 : 0;
        if (pending.Count >= webhook.MaxOutstandingEvents && webhook.Overflow == WebhookOverflow.Coalesce)
        {
            dropped += Coalesce(pending, delivery, webhook.ComplexEvents, first);
        }

        while (pending.Count >= webhook.MaxOutstandingEvents && pending.Count > first)
        {
            pending.RemoveAt(first);
            dropped++;
        }

        pending.Add(delivery);
        return dropped;
    }

    /// <summary>
    /// Joins the deliveries waiting behind the head into the head, in order, so that one request carries them:
    /// under load the boards of one scan tick find their changes together, and a request per board would queue them
    /// behind each other. Joining stops before a delivery that names a circuit already joined (a request holds each
    /// circuit once, as Evok's do, so a receiver that applies the array in any order still ends on the latest state)
    /// and before the body would pass <paramref name="maxBytes"/>. The head keeps its id; the joined ones were never
    /// sent, so nobody has seen theirs. A head sent before is left as it is. Returns how many deliveries were joined.
    /// </summary>
    public static int JoinWaiting(List<PendingDelivery> pending, bool complex, int maxBytes)
    {
        if (pending.Count < 2 || pending[0].Sent)
        {
            return 0;
        }

        var head = pending[0];
        if (!complex)
        {
            // Simple events carry no body: one GET says all that any number of them would.
            var joined = pending.Count - 1;
            pending.RemoveRange(1, joined);
            return joined;
        }

        var keys = head.Changes.Select(change => change.Key).ToHashSet(StringComparer.Ordinal);
        var bytes = head.Changes.Sum(change => change.Json.Length + 1);
        var count = 1;
        for (; count < pending.Count; count++)
        {
            var next = pending[count].Changes;
            var nextBytes = next.Sum(change => change.Json.Length + 1);
            if (bytes + nextBytes > maxBytes || next.Any(change => keys.Contains(change.Key)))
            {
                break;
            }

            keys.UnionWith(next.Select(change => change.Key));
            bytes += nextBytes;
        }

        if (count == 1)
        {
            return 0;
        }

        pending[0] = head with { Changes = [.. pending.Take(count).SelectMany(delivery => delivery.Changes)] };
        pending.RemoveRange(1, count - 1);
        return count - 1;
    }

    private static int Coalesce(List<PendingDelivery> pending, PendingDelivery delivery, bool complex, int first)
    {
        var before = pending.Count;
        if (!complex)
        {
            // Simple events carry no body: one waiting GET says all that any number of them would.
            pending.RemoveRange(first, pending.Count - first);
            return before - pending.Count;
        }

        var superseded = delivery.Changes.Select(change => change.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = pending.Count - 1; i >= first; i--)
        {
            pending[i].Changes.RemoveAll(change => superseded.Contains(change.Key));
            if (pending[i].Changes.Count == 0)
            {
                pending.RemoveAt(i);
            }
        }

        return before - pending.Count;
    }
}
