using Evok.Orleans.Modbus.Protocol;

namespace Evok.Orleans.Modbus;

/// <summary>
/// One request and the handling of its response, for callers that pipeline many requests without a task each
/// (a bus scan). The master completes every exchange it is given exactly once: <see cref="OnResponse"/> with the
/// response PDU on the connection's reader, or <see cref="OnFailure"/> when it could not be sent, timed out, or was
/// answered with an exception or a malformed PDU. An exchange may be sent again once it has completed.
/// </summary>
public abstract class ModbusExchange
{
    /// <summary>The unit the request is for; its response must come from the same unit.</summary>
    public abstract byte UnitId { get; }

    /// <summary>The function of the request; its response must carry the same one.</summary>
    public abstract ModbusFunctionCode Function { get; }

    /// <summary>Writes the request PDU (function code first) and returns its length.</summary>
    protected internal abstract int WriteRequest(Span<byte> pdu);

    /// <summary>Handles the response PDU; a <see cref="ModbusException"/> thrown here completes the exchange as failed.</summary>
    protected internal abstract void OnResponse(ReadOnlySpan<byte> pdu);

    protected internal abstract void OnFailure(ModbusException exception);
}
