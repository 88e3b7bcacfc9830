namespace Evok.Orleans.Modbus;

/// <summary>
/// A master that can put many requests on the wire at once (Modbus TCP pipelining), which a scan of every board of
/// a bus uses so that one tick costs one socket write instead of one per block.
/// </summary>
public interface IPipelinedModbusMaster : IModbusMaster
{
    /// <summary>
    /// Sends the exchanges, as few writes as the in-flight limit allows, and returns once they are on the wire;
    /// each then completes on its own (see <see cref="ModbusExchange"/>). Never throws for a failed send: the
    /// exchanges that could not be sent fail through <see cref="ModbusExchange.OnFailure"/>.
    /// </summary>
    ValueTask SendAsync(IReadOnlyList<ModbusExchange> exchanges, CancellationToken cancellationToken = default);
}
