namespace Evok.Orleans.Modbus.Tcp;

/// <summary>A request waiting for the response with its transaction id.</summary>
internal sealed class PendingRequest(byte unitId, byte function)
{
    private readonly TaskCompletionSource<byte[]> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public byte UnitId { get; } = unitId;

    public byte Function { get; } = function;

    /// <summary>Set when the caller gave up; the id stays reserved so a late reply cannot be taken for another request.</summary>
    public bool Abandoned { get; set; }

    public Task<byte[]> Response => _response.Task;

    public void Complete(byte[] pdu) => _response.TrySetResult(pdu);

    public void Fail(Exception exception) => _response.TrySetException(exception);
}
