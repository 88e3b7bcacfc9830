using System.Diagnostics;
using System.IO.Ports;

namespace Evok.Orleans.Modbus.Rtu;

/// <summary>
/// The timing of an RS485 line: how long a character takes (start bit, 8 data bits, parity, stop bits: 11 bits by
/// the Modbus serial line spec's count) and the 3.5-character silence that separates frames, fixed at 1.75 ms above
/// 19 200 baud as the spec says.
/// </summary>
public static class RtuTiming
{
    public static double BitsPerCharacter(Parity parity, StopBits stopBits) =>
        1 + 8 + (parity == Parity.None ? 0 : 1) + stopBits switch { StopBits.Two => 2, StopBits.OnePointFive => 1.5, _ => 1 };

    public static TimeSpan CharacterTime(int baudRate, double bitsPerCharacter) =>
        TimeSpan.FromSeconds(bitsPerCharacter / baudRate);

    public static TimeSpan FrameSilence(int baudRate, double bitsPerCharacter) =>
        baudRate > 19200 ? TimeSpan.FromMilliseconds(1.75) : CharacterTime(baudRate, bitsPerCharacter) * 3.5;

    /// <summary>How long a frame of <paramref name="bytes"/> bytes is on the wire.</summary>
    public static TimeSpan FrameTime(int bytes, int baudRate, double bitsPerCharacter) =>
        CharacterTime(baudRate, bitsPerCharacter) * bytes;

    /// <summary>
    /// Waits until <paramref name="timestamp"/> (<see cref="Stopwatch"/> ticks) on the calling thread: sleeps the
    /// whole milliseconds and spins the last one, since a frame silence is shorter than the scheduler's granularity.
    /// </summary>
    public static void WaitUntil(long timestamp)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining > TimeSpan.FromMilliseconds(1.5))
            {
                Thread.Sleep(remaining - TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }
}
