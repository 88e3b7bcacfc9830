using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>A pipelined write of the most registers one request may carry, recording how the master completed it.</summary>
internal sealed class RecordingWrite(byte unitId, ushort start) : ModbusExchange
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ushort[] _values = new ushort[ModbusLimits.MaxWriteRegisters];
    private int _completions;

    public override byte UnitId { get; } = unitId;

    public override ModbusFunctionCode Function => ModbusFunctionCode.WriteMultipleRegisters;

    public ModbusException? Failure { get; private set; }

    public int Completions => Volatile.Read(ref _completions);

    public Task Completed => _completed.Task;

    protected override int WriteRequest(Span<byte> pdu) => ModbusPdu.WriteMultipleRegistersRequest(pdu, start, _values);

    protected override void OnResponse(ReadOnlySpan<byte> pdu) => Complete(null);

    protected override void OnFailure(ModbusException exception) => Complete(exception);

    private void Complete(ModbusException? failure)
    {
        Failure = failure;
        Interlocked.Increment(ref _completions);
        _completed.TrySetResult();
    }
}
