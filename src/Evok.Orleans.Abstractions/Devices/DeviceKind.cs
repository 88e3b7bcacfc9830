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

    /// <summary>A 1-Wire thermometer (DS18B20, DS18S20): Evok's <c>temp</c>.</summary>
    Temperature = 9,

    /// <summary>Any other 1-Wire sensor (DS2438) or switch (DS2408, DS2406, DS2413): Evok's <c>1wdevice</c>.</summary>
    OneWireDevice = 10,

    /// <summary>A 1-Wire bus behind owserver: Evok's <c>owbus</c>.</summary>
    OneWireBus = 11,

    /// <summary>The coil that powers a board's 1-Wire bus: Evok's <c>owpower</c>.</summary>
    OwPower = 12,

    /// <summary>A value a meter or sensor module reports in its registers (IAQ, xG18): Evok's <c>data_point</c>.</summary>
    DataPoint = 13,

    /// <summary>The coil that stores a board's settings in its flash: Evok's <c>nv_save</c>.</summary>
    NvSave = 14,

    /// <summary>The controller or a module as a product (family, model, serial number): Evok's <c>device_info</c>.</summary>
    DeviceInfo = 15,
}
