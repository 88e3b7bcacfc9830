using System.IO.Ports;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads the serial line of a <c>MODBUSRTU</c> channel.</summary>
internal static class SerialLineSection
{
    /// <summary>
    /// Evok's MODBUSRTU keys (<c>port</c>, <c>baudrate</c>, <c>parity</c>, <c>stopbits</c>; also the spellings
    /// <c>baud_rate</c> and <c>stop_bits</c> that Evok's docs use) and ours (<c>timeout</c> in seconds, <c>retries</c>).
    /// </summary>
    public static SerialLineConfiguration Parse(YamlSection channel)
    {
        var port = channel.RequiredString("port");
        var baudKey = channel.Has("baudrate") || !channel.Has("baud_rate") ? "baudrate" : "baud_rate";
        var baudRate = channel.Integer(baudKey, 19200, 50, 4_000_000);
        var parity = (channel.OptionalString("parity") ?? "N").ToUpperInvariant() switch
        {
            "N" or "NONE" => Parity.None,
            "E" or "EVEN" => Parity.Even,
            "O" or "ODD" => Parity.Odd,
            var other => throw channel.Error("parity", $"expected N, E or O, got '{other}'"),
        };
        var stopKey = channel.Has("stopbits") || !channel.Has("stop_bits") ? "stopbits" : "stop_bits";
        var stopBits = channel.Number(stopKey, 1, 1, 2) switch
        {
            1 => StopBits.One,
            1.5 => StopBits.OnePointFive,
            2 => StopBits.Two,
            var other => throw channel.Error(stopKey, $"expected 1, 1.5 or 2, got {other}"),
        };
        return new SerialLineConfiguration(port, baudRate, parity, stopBits)
        {
            Timeout = TimeSpan.FromSeconds(channel.Number("timeout", SerialLineConfiguration.DefaultTimeout.TotalSeconds, 0.01, 10)),
            Retries = channel.Integer("retries", SerialLineConfiguration.DefaultRetries, 0, 10),
        };
    }
}
