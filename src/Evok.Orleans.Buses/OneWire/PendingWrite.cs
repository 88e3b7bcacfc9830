using Evok.Orleans.Abstractions.Grains;

namespace Evok.Orleans.Buses.OneWire;

/// <summary>A write waiting for its turn on the bus, answered with the device's read-back.</summary>
internal sealed record PendingWrite(string Address, string Property, string Value)
{
    public TaskCompletionSource<OneWireReading> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
