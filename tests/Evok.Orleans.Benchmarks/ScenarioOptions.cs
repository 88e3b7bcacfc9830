namespace Evok.Orleans.Benchmarks;

/// <summary>
/// One end-to-end scenario: boards of model 13 on one Modbus TCP server, changes at random moments.
/// <paramref name="Silo"/> is what differs from the silo as shipped (null: nothing); with <paramref name="MqttBrokerPort"/>
/// the silo also publishes to that broker under <see cref="MqttObserver.BaseTopic"/> and the MQTT delays are measured too;
/// with <paramref name="ClientFeed"/> an Orleans client app follows the changes that way, and its delays are measured;
/// with <paramref name="ReceiverDown"/> the webhook receiver answers 503 through the measured run (what a receiver
/// that is away costs: disk writes, CPU; its changes are not delivered in the window, so no latency is measured).
/// </summary>
internal sealed record ScenarioOptions(
    string Name, int Boards, int CircuitsPerBoard, double ChangesPerSecond, TimeSpan Duration, TimeSpan IdleWindow, TimeSpan WarmUp,
    SiloSettings? Silo = null,
    int? MqttBrokerPort = null,
    ClientFeed? ClientFeed = null,
    bool ReceiverDown = false);
