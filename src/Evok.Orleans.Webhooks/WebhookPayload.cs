using System.Text;

namespace Evok.Orleans.Webhooks;

/// <summary>The body Evok POSTs for complex events: a JSON array of the kept circuits' device JSON.</summary>
public static class WebhookPayload
{
    public static byte[] Build(IEnumerable<string> deviceJson)
    {
        var text = new StringBuilder("[");
        foreach (var json in deviceJson)
        {
            text.Append(text.Length > 1 ? ", " : string.Empty).Append(json);
        }

        return Encoding.UTF8.GetBytes(text.Append(']').ToString());
    }
}
