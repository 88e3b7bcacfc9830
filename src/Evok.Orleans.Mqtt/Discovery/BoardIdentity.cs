namespace Evok.Orleans.Mqtt.Discovery;

/// <summary>A Modbus device of config.yaml: its name (the circuits' prefix, <c>2</c> of <c>2_01</c>) and its board model.</summary>
public sealed record BoardIdentity(string Name, string Model);
