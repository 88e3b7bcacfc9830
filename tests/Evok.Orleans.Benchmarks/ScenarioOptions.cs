namespace Evok.Orleans.Benchmarks;

/// <summary>
/// One end-to-end scenario: boards of model 13 on one Modbus TCP server, changes at random moments.
/// <paramref name="SiloEnvironment"/> is added to the systemd unit's environment of the silo.
/// </summary>
internal sealed record ScenarioOptions(
    string Name, int Boards, int CircuitsPerBoard, double ChangesPerSecond, TimeSpan Duration, TimeSpan IdleWindow, TimeSpan WarmUp,
    IReadOnlyDictionary<string, string>? SiloEnvironment = null);
