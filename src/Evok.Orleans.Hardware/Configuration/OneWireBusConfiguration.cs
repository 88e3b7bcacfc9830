using System.Collections.Immutable;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// A 1-Wire bus behind owserver: Evok's <c>comm_channels.&lt;name&gt;</c> of type OWFS (its code) or OWBUS (its docs
/// and autogen). <see cref="Host"/> and <see cref="Port"/> are ours (Evok always uses 127.0.0.1:4304).
/// </summary>
public sealed record OneWireBusConfiguration(string Name, string Host, int Port)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultScanInterval = TimeSpan.FromSeconds(300);

    /// <summary>The shortest and longest read interval, in seconds (config.yaml and the API alike).</summary>
    public const double MinIntervalSeconds = 0.1;

    public const double MaxIntervalSeconds = 86_400;

    /// <summary>Evok's rule for <c>scan_interval</c> (config.yaml and the API alike): 0 or less means once an hour.</summary>
    public static double ScanIntervalSeconds(double asked) => asked <= 0 ? 3600 : asked;

    /// <summary>How often each sensor is read (<c>interval</c>).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>How often the bus is searched for sensors added or removed (<c>scan_interval</c>).</summary>
    public TimeSpan ScanInterval { get; init; } = DefaultScanInterval;

    /// <summary>The Modbus device whose owpower coil powers this bus (<c>owpower</c>), used by <c>do_reset</c>.</summary>
    public string? OwPower { get; init; }

    /// <summary>The devices listed under <c>devices:</c>; the rest are found by searching the bus.</summary>
    public ImmutableArray<OneWireDeviceConfiguration> Devices { get; init; } = [];

    /// <summary>The line of the channel in config.yaml, for errors found after loading.</summary>
    public int Line { get; init; }
}
