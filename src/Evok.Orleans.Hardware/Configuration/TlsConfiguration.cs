namespace Evok.Orleans.Hardware.Configuration;

/// <summary><c>apis.tls</c>: PEM files of the certificate (with its chain) and its private key; the API then speaks HTTPS/WSS.</summary>
public sealed record TlsConfiguration(string Certificate, string Key);
