using System.Text.Json;
using Evok.Orleans.TestSupport;

namespace Evok.Orleans.IntegrationTests.Faults;

/// <summary>
/// What a receiver saw, judged the way a receiver that drops duplicates by <c>webhook-id</c> would: the changes it
/// accepted, in order, how often an accepted id came again, and whether one id ever carried two different bodies.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly Dictionary<string, string> _bodies = [];
    private readonly HashSet<string> _accepted = [];
    private readonly HashSet<string> _refused = [];
    private readonly List<(string Circuit, int Value)> _changes = [];

    public int Requests { get; private set; }

    public int Duplicates { get; private set; }

    public int ConflictingBodies { get; private set; }

    public long LastAcceptedAt { get; private set; }

    /// <summary>Accepted deliveries whose <c>webhook-id</c> the receiver had refused before (the same delivery, retried).</summary>
    public int AcceptedAfterRefusal { get; private set; }

    public void Add(ReceivedRequest request)
    {
        Requests++;
        var id = request.Headers["webhook-id"];
        if (!_bodies.TryAdd(id, request.Body) && _bodies[id] != request.Body)
        {
            ConflictingBodies++;
        }

        if (request.Status != 200)
        {
            _refused.Add(id);
            return;
        }

        if (!_accepted.Add(id))
        {
            Duplicates++;
            return;
        }

        LastAcceptedAt = request.ReceivedAt;
        AcceptedAfterRefusal += _refused.Contains(id) ? 1 : 0;
        foreach (var device in JsonDocument.Parse(request.Body).RootElement.EnumerateArray())
        {
            if (device.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number)
            {
                _changes.Add((device.GetProperty("circuit").GetString()!, value.GetInt32()));
            }
        }
    }

    /// <summary>The values a circuit showed, in the order the receiver accepted them.</summary>
    public List<int> ValuesOf(string circuit) => [.. _changes.Where(change => change.Circuit == circuit).Select(change => change.Value)];
}
