using System.Text;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// The state of one circuit as Evok reports it. Each kind writes its own JSON keys, in Evok's order.
/// Equality is value equality over what Evok reports, so an unchanged reading compares equal.
/// </summary>
[GenerateSerializer, Immutable, Alias("evok.DeviceState")]
public abstract record DeviceState
{
    [ThreadStatic]
    private static StringBuilder? t_output;

    /// <summary>Evok's circuit name, e.g. <c>2_04</c>.</summary>
    [Id(0)]
    public required string Circuit { get; init; }

    /// <summary>1 + the Modbus device's position in the config.</summary>
    [Id(1)]
    public required int GlobalDeviceId { get; init; }

    [Id(2)]
    public string? Alias { get; init; }

    public abstract DeviceKind Kind { get; }

    /// <summary>The grain key of this circuit, e.g. <c>relay:2_04</c>.</summary>
    public string Key => DeviceTypeNames.CircuitKey(Kind, Circuit);

    /// <param name="node">
    /// Written as <c>"node"</c> when not null: the node of a device whose changes go out through another controller's
    /// sinks (a failover bus taken over), where its unqualified circuit name alone would be taken for that controller's.
    /// </param>
    public void WriteJson(EvokJsonWriter writer, string? node = null)
    {
        writer.BeginObject();
        WriteFields(writer);
        if (!string.IsNullOrEmpty(Alias))
        {
            writer.Name("alias").String(Alias);
        }

        if (node is not null)
        {
            writer.Name("node").String(node);
        }

        writer.EndObject();
    }

    /// <param name="style">Evok's naming of fields.</param>
    /// <param name="node">As in <see cref="WriteJson"/>.</param>
    public string ToJson(EvokJsonStyle style = EvokJsonStyle.Evok2, string? node = null)
    {
        // Every published change is rendered once: reuse this thread's buffer instead of growing a new one each time.
        var output = t_output ??= new StringBuilder(512);
        output.Clear();
        WriteJson(new EvokJsonWriter(output, style), node);
        var json = output.ToString();
        if (output.Capacity > 4096)
        {
            t_output = null;
        }

        return json;
    }

    protected abstract void WriteFields(EvokJsonWriter writer);

    protected void WriteGlobalDeviceId(EvokJsonWriter writer)
    {
        if (writer.Style == EvokJsonStyle.Evok2)
        {
            writer.Name("glob_dev_id").Integer(GlobalDeviceId);
        }
    }
}
