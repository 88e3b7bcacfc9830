using Evok.Orleans.Hardware.Configuration;

namespace Evok.Orleans.Grains.Webhooks;

/// <summary>
/// Adds a delivery to an outbox under its overflow policy. The delivery being sent (the head, while in flight) is
/// never touched. Coalescing keeps the latest state of each circuit: a receiver that comes back gets every
/// circuit's current state, in order, without the intermediate ones.
/// </summary>
internal static class OutboxQueue
{
    /// <summary>Returns how many waiting deliveries were dropped or merged away.</summary>
    public static int Add(List<PendingDelivery> pending, PendingDelivery delivery, WebhookConfiguration webhook, bool headInFlight)
    {
        var dropped = 0;
        var first = headInFlight ? 1 : 0;
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
