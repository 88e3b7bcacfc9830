namespace Evok.Orleans.Abstractions.Grains;

/// <summary>How a 1-Wire bus is doing: owserver's address, whether it answers, devices found and lost, and reads.</summary>
[GenerateSerializer, Alias("evok.OneWireBusStatus")]
public sealed record OneWireBusStatus(
    [property: Id(0)] string Bus,
    [property: Id(1)] string Endpoint,
    [property: Id(2)] bool Online,
    [property: Id(3)] int Devices,
    [property: Id(4)] int LostDevices,
    [property: Id(5)] long Reads,
    [property: Id(6)] long FailedReads,
    [property: Id(7)] double ReadsPerSecond,
    [property: Id(8)] long EventsPublished);
