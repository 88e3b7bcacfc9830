using Evok.Orleans.Hardware.Definitions;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// One Modbus device (a board section or extension module) on a bus. <see cref="ScanFrequency"/> is Evok's
/// <c>scan_frequency</c> in scans per second; 0 means as fast as the bus allows, as in Evok.
/// </summary>
public sealed record ModbusDeviceConfiguration(
    string Name,
    string Channel,
    byte SlaveId,
    double ScanFrequency,
    int GlobalDeviceId,
    BoardDefinition Board)
{
    /// <summary>The most scans per second a device may ask for; also what <c>scan_frequency: 0</c> asks for.</summary>
    public const double MaxScanFrequency = 1000;

    /// <summary>
    /// Time between two scans. <c>scan_frequency: 0</c> (Evok: 0.1 ms) ticks every millisecond: a board whose scan
    /// takes longer is scanned again as soon as its previous scan was answered, so it gets all the bus can give.
    /// </summary>
    public TimeSpan ScanInterval => TimeSpan.FromSeconds(1 / (AsFastAsTheBusAllows ? MaxScanFrequency : ScanFrequency));

    /// <summary><c>scan_frequency: 0</c>: no rate of its own, so a bus that cannot scan it faster is not overloaded.</summary>
    public bool AsFastAsTheBusAllows => ScanFrequency == 0;

    /// <summary>Evok 3's per-device <c>device_info</c>: this module's own product data, listed as a device_info device.</summary>
    public DeviceInfoConfiguration? DeviceInfo { get; init; }

    /// <summary>
    /// Evok's <c>scan_enabled</c>: false reads the device once (until that read succeeds) and then only when written,
    /// for devices whose values do not change by themselves.
    /// </summary>
    public bool ScanEnabled { get; init; } = true;

    /// <summary>
    /// Ours (<c>offline_after</c>): consecutive failed scans before an answering device is reported offline, so a
    /// flaky line does not flap. A device that never answered is offline from its first failed scan.
    /// </summary>
    public int OfflineAfter { get; init; } = DefaultHysteresis;

    /// <summary>Ours (<c>online_after</c>): consecutive good scans before an offline device is reported online again.</summary>
    public int OnlineAfter { get; init; } = DefaultHysteresis;

    /// <summary>The default of <see cref="OfflineAfter"/> and <see cref="OnlineAfter"/>: quiet for a board that answers one request in five.</summary>
    public const int DefaultHysteresis = 3;

    /// <summary>
    /// Ours (<c>coalesce_reads</c>): blocks of the definition that follow each other without a gap (and together fit
    /// one request) are read in one request, the blocks between two due ones included. A Unipi board's DI/RO and
    /// counter blocks (0–1, 14–27) then take one request per scan instead of two, and its AO/AI block between them
    /// is read every scan: about 30 % less CPU at 64 boards. A device that refuses long reads: <c>false</c>.
    /// </summary>
    public bool CoalesceReads { get; init; } = true;
}
