namespace Evok.Orleans.Modbus;

/// <summary>An exchange of the NModbus-shaped API: a request PDU made by the caller and a task for its response.</summary>
internal sealed class TaskExchange(byte unitId, byte[] requestPdu) : ModbusExchange
{
    private readonly TaskCompletionSource<byte[]> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override byte UnitId { get; } = unitId;

    public override Protocol.ModbusFunctionCode Function => (Protocol.ModbusFunctionCode)requestPdu[0];

    public Task<byte[]> Response => _response.Task;

    protected internal override int WriteRequest(Span<byte> pdu)
    {
        requestPdu.CopyTo(pdu);
        return requestPdu.Length;
    }

    protected internal override void OnResponse(ReadOnlySpan<byte> pdu) => _response.TrySetResult(pdu.ToArray());

    protected internal override void OnFailure(ModbusException exception) => _response.TrySetException(exception);
}
