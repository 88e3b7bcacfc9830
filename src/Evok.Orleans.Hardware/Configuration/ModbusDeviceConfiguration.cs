using Evok.Orleans.Hardware.Definitions;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>One Modbus device (a board section or extension module) on a bus.</summary>
public sealed record ModbusDeviceConfiguration(
    string Name,
    string Channel,
    byte SlaveId,
    double ScanFrequency,
    int GlobalDeviceId,
    BoardDefinition Board)
{
    public TimeSpan ScanInterval => TimeSpan.FromSeconds(1 / ScanFrequency);

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
