using System.Net.WebSockets;
using System.Text;

namespace Evok.Orleans.TestSupport;

/// <summary>A WebSocket client's side of the API: whole text messages, however many frames they come in.</summary>
public static class WebSocketText
{
    public static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray());
    }

    /// <summary>The next message within <paramref name="timeout"/>, else a <see cref="TimeoutException"/>.</summary>
    public static async Task<string> ReceiveAsync(ClientWebSocket socket, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await ReceiveAsync(socket, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no WebSocket message within {timeout.TotalSeconds} s");
        }
    }
}
