using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>The board's master watchdog.</summary>
[GenerateSerializer, Immutable, Alias("evok.WatchdogState")]
public sealed record WatchdogState : DeviceState
{
    [Id(0)]
    public required int Value { get; init; }

    /// <summary>Timeout in milliseconds.</summary>
    [Id(1)]
    public required int Timeout { get; init; }

    [Id(2)]
    public required int WasWatchdogReset { get; init; }

    [Id(3)]
    public int NvSave { get; init; }

    public override DeviceKind Kind => DeviceKind.Watchdog;

    protected override void WriteFields(EvokJsonWriter writer)
    {
        writer.Name("dev").String("wd");
        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        writer.Name("timeout").Integer(Timeout);
        writer.Name("was_wd_reset").Integer(WasWatchdogReset);
        writer.Name("nv_save").Integer(NvSave);
        WriteGlobalDeviceId(writer);
    }
}
