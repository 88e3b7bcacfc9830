using System.Text;

namespace Evok.Orleans.Webhooks;

/// <summary>The body Evok POSTs for complex events: a JSON array of the kept circuits' device JSON.</summary>
public static class WebhookPayload
{
    private static readonly byte[] Separator = ", "u8.ToArray();

    /// <summary>Encodes the array straight into one buffer of the exact size: one allocation per request.</summary>
    public static byte[] Build(IReadOnlyList<string> deviceJson)
    {
        var length = 2 + (Math.Max(deviceJson.Count - 1, 0) * Separator.Length);
        foreach (var json in deviceJson)
        {
            length += Encoding.UTF8.GetByteCount(json);
        }

        var body = new byte[length];
        var position = 0;
        body[position++] = (byte)'[';
        for (var i = 0; i < deviceJson.Count; i++)
        {
            if (i > 0)
            {
                Separator.CopyTo(body, position);
                position += Separator.Length;
            }

            position += Encoding.UTF8.GetBytes(deviceJson[i], body.AsSpan(position));
        }

        body[position] = (byte)']';
        return body;
    }
}
