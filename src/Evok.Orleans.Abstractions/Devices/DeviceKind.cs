namespace Evok.Orleans.Abstractions.Devices;

/// <summary>The kinds of circuit a Unipi board exposes.</summary>
[GenerateSerializer, Alias("evok.DeviceKind")]
public enum DeviceKind
{
    RelayOutput = 0,
    DigitalOutput = 1,
    DigitalInput = 2,
    AnalogOutput = 3,
    AnalogInput = 4,
    Led = 5,
    Watchdog = 6,
    Register = 7,

    /// <summary>The Modbus device (board) itself: its communication state.</summary>
    ModbusSlave = 8,
}
