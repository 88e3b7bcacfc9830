using System.Text;
using Evok.Orleans.Abstractions.Events;

namespace Evok.Orleans.Webhooks;

/// <summary>The body Evok POSTs for complex events: a JSON array of the kept circuits' device JSON.</summary>
public static class WebhookPayload
{
    public static byte[] Build(IReadOnlyList<DeviceChanged> changes)
    {
        var text = new StringBuilder(changes.Count * 200);
        text.Append('[');
        for (var i = 0; i < changes.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(changes[i].Json);
        }

        text.Append(']');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
