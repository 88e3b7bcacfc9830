using Evok.Orleans.Modbus;
using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.IntegrationTests.Modbus;

/// <summary>A pipelined holding-register read that records how, and how often, the master completed it.</summary>
internal sealed class RecordingRead(byte unitId, ushort start, ushort count) : ModbusExchange
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completions;

    public override byte UnitId { get; } = unitId;

    public override ModbusFunctionCode Function => ModbusFunctionCode.ReadHoldingRegisters;

    public ushort Start { get; } = start;

    public ushort[] Registers { get; } = new ushort[count];

    public ModbusException? Failure { get; private set; }

    public int Completions => Volatile.Read(ref _completions);

    public Task Completed => _completed.Task;

    protected override int WriteRequest(Span<byte> pdu) => ModbusPdu.WriteReadRequest(pdu, Function, Start, (ushort)Registers.Length);

    protected override void OnResponse(ReadOnlySpan<byte> pdu)
    {
        ModbusPdu.ReadRegisters(pdu, Function, Registers);
        Interlocked.Increment(ref _completions);
        _completed.TrySetResult();
    }

    protected override void OnFailure(ModbusException exception)
    {
        Failure = exception;
        Interlocked.Increment(ref _completions);
        _completed.TrySetResult();
    }
}
