namespace Evok.Orleans.Modbus.Tcp;

/// <summary>
/// A transaction id's entry on a connection. Kept as a value in the id table, so an exchange object can be sent
/// again while an earlier, abandoned send of it still holds its old id.
/// </summary>
internal struct InFlightRequest(ModbusExchange exchange, long deadline)
{
    public ModbusExchange Exchange { get; } = exchange;

    /// <summary>When the request times out, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline { get; } = deadline;

    /// <summary>Set when it timed out; the id stays reserved so a late reply cannot be taken for another request.</summary>
    public bool Abandoned { get; set; }
}
