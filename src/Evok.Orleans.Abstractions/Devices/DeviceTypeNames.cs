using System.Collections.Frozen;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>
/// Evok's device type names (canonical, Evok 2's and alternative spellings) and the grain key prefixes.
/// </summary>
public static class DeviceTypeNames
{
    private static readonly FrozenDictionary<string, DeviceKind[]> KindsByName =
        new Dictionary<string, DeviceKind[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["relay"] = [DeviceKind.RelayOutput, DeviceKind.DigitalOutput],
            ["ro"] = [DeviceKind.RelayOutput],
            ["do"] = [DeviceKind.DigitalOutput],
            ["output"] = [DeviceKind.DigitalOutput],
            ["digitaloutput"] = [DeviceKind.DigitalOutput],
            ["di"] = [DeviceKind.DigitalInput],
            ["input"] = [DeviceKind.DigitalInput],
            ["digitalinput"] = [DeviceKind.DigitalInput],
            ["ao"] = [DeviceKind.AnalogOutput],
            ["analogoutput"] = [DeviceKind.AnalogOutput],
            ["ai"] = [DeviceKind.AnalogInput],
            ["analoginput"] = [DeviceKind.AnalogInput],
            ["led"] = [DeviceKind.Led],
            ["wd"] = [DeviceKind.Watchdog],
            ["watchdog"] = [DeviceKind.Watchdog],
            ["register"] = [DeviceKind.Register],
            ["modbus_slave"] = [DeviceKind.ModbusSlave],

            // Evok's REST calls every 1-Wire device a sensor; its events say temp or 1wdevice.
            ["sensor"] = [DeviceKind.Temperature, DeviceKind.OneWireDevice],
            ["temp"] = [DeviceKind.Temperature],
            ["1wdevice"] = [DeviceKind.OneWireDevice],
            ["owbus"] = [DeviceKind.OneWireBus],
            ["owpower"] = [DeviceKind.OwPower],
            ["data_point"] = [DeviceKind.DataPoint],
            ["unit_register"] = [DeviceKind.DataPoint],
            ["nv_save"] = [DeviceKind.NvSave],
            ["nvsave"] = [DeviceKind.NvSave],
            ["device_info"] = [DeviceKind.DeviceInfo],
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Evok device types this server does not produce (yet); a mask may name them without being an error.
    private static readonly FrozenSet<string> OtherEvokTypes = new[]
    {
        "uart", "board",
        "light_channel", "light_device", "ext_config", "neuron", "wifi", "eeprom", "run",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every type name a request or a device mask may use.</summary>
    public static IEnumerable<string> KnownNames => KindsByName.Keys;

    /// <summary>The circuit kinds a type name stands for; false for names Evok does not know.</summary>
    public static bool TryResolve(string name, out IReadOnlyList<DeviceKind> kinds)
    {
        if (KindsByName.TryGetValue(name, out var found))
        {
            kinds = found;
            return true;
        }

        kinds = [];
        return OtherEvokTypes.Contains(name);
    }

    /// <summary>The grain key prefix of a kind: Evok 2's <c>dev</c> name (<c>relay</c> for RO and DO).</summary>
    public static string KeyPrefix(DeviceKind kind) => kind switch
    {
        DeviceKind.RelayOutput or DeviceKind.DigitalOutput => "relay",
        DeviceKind.DigitalInput => "input",
        DeviceKind.AnalogOutput => "ao",
        DeviceKind.AnalogInput => "ai",
        DeviceKind.Led => "led",
        DeviceKind.Watchdog => "wd",
        DeviceKind.Register => "register",
        DeviceKind.ModbusSlave => "modbus_slave",
        DeviceKind.Temperature or DeviceKind.OneWireDevice => "sensor",
        DeviceKind.OneWireBus => "owbus",
        DeviceKind.OwPower => "owpower",
        DeviceKind.DataPoint => "data_point",
        DeviceKind.NvSave => "nv_save",
        DeviceKind.DeviceInfo => "device_info",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The type name a REST or JSON path means: Evok serves every 1-Wire device under <c>temp</c> as under
    /// <c>sensor</c>, while its event filters match <c>temp</c> against thermometers only.
    /// </summary>
    public static string ForRequest(string name) => string.Equals(name, "temp", StringComparison.OrdinalIgnoreCase) ? "sensor" : name;

    /// <summary>The grain key of a circuit, e.g. <c>relay:2_04</c>.</summary>
    public static string CircuitKey(DeviceKind kind, string circuit) => $"{KeyPrefix(kind)}:{circuit}";
}
