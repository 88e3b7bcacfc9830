using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.Hardware.Features;

/// <summary>The board watchdog: flags in the value register, timeout in milliseconds.</summary>
public sealed class WatchdogFeature(int count, int line, int valueRegister, int timeoutRegister)
    : Feature(DeviceKind.Watchdog, count, line)
{
    public override IEnumerable<int> RegistersOf(int index) => [valueRegister + index, timeoutRegister + index];

    public override DeviceState Decode(RegisterImage registers, int index, string circuit, int globalDeviceId)
    {
        var flags = registers[valueRegister + index];
        return new WatchdogState
        {
            Circuit = circuit,
            GlobalDeviceId = globalDeviceId,
            Value = flags & 3,
            Timeout = registers[timeoutRegister + index],
            WasWatchdogReset = Bit(flags, 1),
        };
    }
}
