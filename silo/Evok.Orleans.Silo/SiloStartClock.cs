namespace Evok.Orleans.Silo;

/// <summary>
/// The clock of Orleans' membership and watchdog (<see cref="TimeProviderNames.Membership"/>), its timestamps counted
/// from the moment the silo first asks for it instead of from the machine's boot. Orleans' watchdog starts its
/// platform thread before it stamps the participant check's first time; when that thread runs first (two cores, a
/// busy start), it measures from timestamp 0 and warns "Participant check thread has not completed for 06:37:34",
/// the machine's uptime (issue 37). From this clock's start the same unset stamp reads as the few seconds the silo
/// has been starting, under the watchdog's 20 s threshold. Timestamps serve only to measure elapsed time, so nothing
/// else changes; wall-clock time and timers are the system's.
/// </summary>
internal sealed class SiloStartClock : TimeProvider
{
    private readonly long _start = System.GetTimestamp();

    public override long GetTimestamp() => System.GetTimestamp() - _start;
}
