namespace Evok.Orleans.Hardware.OneWire;

public enum OneWireChipKind
{
    /// <summary>DS18B20, DS18S20: Evok's <c>temp</c>.</summary>
    Thermometer,

    /// <summary>DS2438: temperature, humidity and voltages, Evok's <c>1wdevice</c>.</summary>
    MultiSensor,

    /// <summary>DS2408, DS2406, DS2413: switches, Evok's <c>1wdevice</c>.</summary>
    Switch,
}
