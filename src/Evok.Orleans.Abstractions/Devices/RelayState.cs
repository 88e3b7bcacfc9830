using System.Collections.Immutable;
using Evok.Orleans.Abstractions.Json;

namespace Evok.Orleans.Abstractions.Devices;

/// <summary>A relay output (RO) or a digital, PWM-capable transistor output (DO).</summary>
[GenerateSerializer, Immutable, Alias("evok.RelayState")]
public sealed record RelayState : DeviceState
{
    [Id(0)]
    public required bool IsDigital { get; init; }

    [Id(1)]
    public required int Value { get; init; }

    [Id(2)]
    public bool Pending { get; init; }

    [Id(3)]
    public required string Mode { get; init; }

    [Id(4)]
    public required ImmutableArray<string> Modes { get; init; }

    /// <summary>PWM frequency in Hz; null when the output has no PWM registers.</summary>
    [Id(5)]
    public double? PwmFrequency { get; init; }

    /// <summary>PWM duty in percent (0 = plain on/off).</summary>
    [Id(6)]
    public double? PwmDuty { get; init; }

    public override DeviceKind Kind => IsDigital ? DeviceKind.DigitalOutput : DeviceKind.RelayOutput;

    public bool Equals(RelayState? other) =>
        other is not null && base.Equals(other) && IsDigital == other.IsDigital && Value == other.Value &&
        Pending == other.Pending && Mode == other.Mode && Modes.SequenceEqual(other.Modes) &&
        Nullable.Equals(PwmFrequency, other.PwmFrequency) && Nullable.Equals(PwmDuty, other.PwmDuty);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Value, Mode, PwmDuty);

    protected override void WriteFields(EvokJsonWriter writer)
    {
        if (writer.Style == EvokJsonStyle.Evok2)
        {
            writer.Name("dev").String("relay");
            writer.Name("relay_type").String(IsDigital ? "digital" : "physical");
        }
        else
        {
            writer.Name("dev").String(IsDigital ? "do" : "ro");
        }

        writer.Name("circuit").String(Circuit);
        writer.Name("value").Integer(Value);
        writer.Name("pending").Bool(Pending);
        writer.Name("mode").String(Mode);
        writer.Name("modes").StringArray(Modes);
        WriteGlobalDeviceId(writer);
        if (PwmFrequency is { } frequency)
        {
            writer.Name("pwm_freq").Float(frequency);
            writer.Name("pwm_duty");
            if (PwmDuty is null or 0)
            {
                writer.Integer(0);
            }
            else
            {
                writer.Float(PwmDuty.Value);
            }
        }
    }
}
