namespace Evok.Orleans.Abstractions.Grains;

/// <summary>
/// A 1-Wire device (key <c>sensor:&lt;circuit&gt;</c>, e.g. <c>sensor:28000028D7000011</c>) or a 1-Wire bus (key
/// <c>owbus:&lt;name&gt;</c>). Settable: <c>interval</c> and <c>alias</c>; a switch's outputs with <c>pio</c> and
/// <c>value</c>; a bus's <c>interval</c>, <c>scan_interval</c>, <c>do_scan</c> and <c>do_reset</c>.
/// </summary>
public interface IOneWireDeviceGrain : ICircuitGrain;
