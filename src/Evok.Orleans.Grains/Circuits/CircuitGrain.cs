using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Grains.Circuits;

/// <summary>
/// Holds one circuit's state as its poller last read it, and turns writes into Modbus writes that the poller
/// executes and reads back. Kept alive: it is the device clients address, and its state is cheap.
/// </summary>
[KeepAlive]
public abstract class CircuitGrain<TState>(SiteMap site) : Grain, ICircuitGrain
    where TState : DeviceState
{
    private Circuit? _circuit;
    private IModbusDevicePollerGrain? _poller;

    protected TState? Current { get; private set; }

    protected Circuit Circuit => _circuit!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var (board, circuit) = site.FindCircuit(key) ?? throw new KeyNotFoundException($"no circuit '{key}' in this site");
        _circuit = circuit;
        _poller = GrainFactory.GetGrain<IModbusDevicePollerGrain>(board.Name);

        // After a (re)activation the poller already knows the state; ask instead of waiting for the next change.
        Current = (TState?)await _poller.GetCircuitStateAsync(key);
    }

    public Task<DeviceState?> GetStateAsync() => Task.FromResult<DeviceState?>(Current);

    public Task ApplyAsync(DeviceState state)
    {
        Current = (TState)state;
        return Task.CompletedTask;
    }

    /// <summary>Validates and encodes a new value, has the poller write and read it back, and returns the new state.</summary>
    protected async Task<TState> WriteValueAsync(double value)
    {
        var current = Current ?? throw new DeviceWriteException("value", $"{Circuit.Key} has not been read from its board yet");
        var write = Circuit.Feature.EncodeValue(Circuit.Index, value, current);
        await _poller!.WriteAsync(Circuit.Key, write);
        return Current!;
    }
}
