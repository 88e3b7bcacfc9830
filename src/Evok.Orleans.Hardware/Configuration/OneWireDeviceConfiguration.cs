namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// A 1-Wire device listed under its bus's <c>devices:</c> (Evok's docs: <c>&lt;name&gt;: {type, address,
/// interval}</c>): served under its name from the start, read every <see cref="Interval"/>, kept when a search
/// does not find it (lost until it answers again), and of the listed <see cref="Type"/> whatever owserver says.
/// </summary>
public sealed record OneWireDeviceConfiguration(string Name, string Address, string Type, TimeSpan Interval)
{
    /// <summary>Evok's default <c>interval</c> of a listed device, in seconds (config.py).</summary>
    public const double DefaultIntervalSeconds = 15;
}
