namespace Evok.Orleans.Hardware.Configuration;

/// <summary>
/// <c>apis.mqtt.tls</c>: the broker is reached over TLS. <see cref="CaCertificate"/> (PEM) is the authority the
/// broker's certificate must chain to (null: the system's); a client certificate and key (PEM) when the broker asks for one.
/// </summary>
public sealed record MqttTlsConfiguration(string? CaCertificate, string? Certificate, string? Key);
