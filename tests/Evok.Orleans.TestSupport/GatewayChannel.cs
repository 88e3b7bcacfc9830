namespace Evok.Orleans.TestSupport;

/// <summary>
/// A comm channel named <c>gateway</c> (under <c>comm_channels</c>, indented by two spaces): one model-13 board of a
/// Modbus TCP server on loopback that several controllers of a site can reach, with its failover role on this
/// controller (<c>failover: true</c>, <c>standby_for: plc2</c>).
/// </summary>
public static class GatewayChannel
{
    public static string Yaml(int port, string role, string device, byte slaveId) => $"""
          gateway:
            type: MODBUSTCP
            hostname: 127.0.0.1
            port: {port}
            {role}
            devices:
              "{device}":
                slave-id: {slaveId}
                model: "13"

        """;
}
