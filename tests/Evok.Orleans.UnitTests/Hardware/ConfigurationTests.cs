using System.Globalization;
using Evok.Orleans.Abstractions.Devices;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Configuration;
using Evok.Orleans.Hardware.Definitions;
using Evok.Orleans.Hardware.Maps;

namespace Evok.Orleans.UnitTests.Hardware;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("evok-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Evok_example_config_loads_with_its_webhook_and_devices_in_order()
    {
        var site = Parse("""
            apis:
              port: 8080
              address: 127.0.0.1
              websocket:
                enabled: true
                all_filtered: false
              webhook:
                enabled: true
                address: http://127.0.0.1:8181
                device_mask: ["relay", "ao"]
                complex_events: true
            comm_channels:
              local_tcp:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: 502
                devices:
                  "1":
                    slave-id: 1
                    model: "00"
                    scan_frequency: 50
                  "2":
                    slave-id: 2
                    model: "13"
                    scan_frequency: 25
            logging:
              level: WARNING
            """);

        var webhook = Assert.Single(site.Api.Webhooks);
        Assert.Equal(new Uri("http://127.0.0.1:8181"), webhook.Address);
        Assert.True(webhook.ComplexEvents);
        Assert.True(webhook.DeviceMask.Contains(DeviceKind.RelayOutput));
        Assert.True(webhook.DeviceMask.Contains(DeviceKind.DigitalOutput));
        Assert.True(webhook.DeviceMask.Contains(DeviceKind.AnalogOutput));
        Assert.False(webhook.DeviceMask.Contains(DeviceKind.DigitalInput));
        Assert.Equal(["1", "2"], site.Devices.Select(d => d.Name));
        Assert.Equal([2, 3], site.Devices.Select(d => d.GlobalDeviceId));
        Assert.Equal(TimeSpan.FromMilliseconds(40), site.Devices.Last().ScanInterval);
    }

    [Fact]
    public void Evok_defaults_apply_to_a_minimal_device_and_a_bare_webhook()
    {
        var site = Parse("""
            apis:
              webhook: {enabled: true}
            comm_channels:
              bus:
                type: MODBUSTCP
                devices:
                  board: {model: "13"}
            """);

        var device = Assert.Single(site.Devices);
        Assert.Equal(1, device.SlaveId);
        Assert.Equal(50, device.ScanFrequency);
        Assert.Equal(502, Assert.Single(site.Channels).Port);
        Assert.Equal(256, Assert.Single(site.Channels).MaxPipelinedRequests);
        var webhook = Assert.Single(site.Api.Webhooks);
        Assert.Equal(WebhookConfiguration.DefaultAddress, webhook.Address);
        Assert.False(webhook.ComplexEvents);
        Assert.True(webhook.DeviceMask.Contains(DeviceKind.DigitalInput));
        Assert.True(webhook.DeviceMask.Contains(DeviceKind.Watchdog));
        Assert.False(webhook.DeviceMask.Contains(DeviceKind.RelayOutput));
    }

    [Theory]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a: {model: \"13\"\n", 6, "(yaml)", "invalid YAML")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a:\n        model: \"99\"\n", 6, "comm_channels.bus.devices.a.model", "unknown model '99'")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a:\n        slave-id: 1\n", 6, "comm_channels.bus.devices.a.model", "required key is missing")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a:\n        model: \"13\"\n        scan_frequency: fast\n", 7, "comm_channels.bus.devices.a.scan_frequency", "expected a number")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a:\n        model: \"13\"\n        slave-id: 300\n", 7, "comm_channels.bus.devices.a.slave-id", "from 0 to 255")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    port: http\n", 4, "comm_channels.bus.port", "whole number")]
    [InlineData("comm_channels:\n  bus:\n    type: CANBUS\n", 3, "comm_channels.bus.type", "unknown channel type")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    max_pipelined_requests: 0\n", 4, "comm_channels.bus.max_pipelined_requests", "from 1 to 1024")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    offline_after: 0\n    devices:\n      a: {model: \"13\"}\n", 4, "comm_channels.bus.offline_after", "from 1 to 1000")]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a: {model: \"13\", online_after: many}\n", 5, "comm_channels.bus.devices.a.online_after", "whole number")]
    [InlineData("apis:\n  webhook:\n    enabled: true\n    address: ftp://example/hook\n", 4, "apis.webhook.address", "http:// or https://")]
    [InlineData("apis:\n  webhook:\n    enabled: true\n    device_mask: [relay, lamp]\n", 4, "apis.webhook.device_mask", "unknown device type 'lamp'")]
    [InlineData("apis:\n  webhook:\n    enabled: maybe\n", 3, "apis.webhook.enabled", "expected true or false")]
    [InlineData("apis:\n  orleans_stream: maybe\n", 2, "apis.orleans_stream", "expected true or false")]
    [InlineData("- just\n- a list\n", 1, "(root)", "mapping")]
    [InlineData("apis:\n  webhooks:\n    - address: mqtt://broker/x\n", 3, "apis.webhooks[0].address", "http:// or https://")]
    [InlineData("apis:\n  webhooks:\n    - address: http://a/\n      overflow: block\n", 4, "apis.webhooks[0].overflow", "would stall polling")]
    [InlineData("apis:\n  webhooks:\n    - address: http://a/\n      overflow: spill\n", 4, "apis.webhooks[0].overflow", "coalesce or drop_oldest")]
    [InlineData("apis:\n  webhooks:\n    - address: http://a/\n      secret: hunter2\n", 4, "apis.webhooks[0].secret", "whsec_")]
    [InlineData("apis:\n  webhooks:\n    - address: http://a/\n      timeout: 0\n", 4, "apis.webhooks[0].timeout", "expected a number")]
    [InlineData("apis:\n  webhooks:\n    - address: http://a/\n      max_outstanding_events: 0\n", 4, "apis.webhooks[0].max_outstanding_events", "whole number")]
    [InlineData("apis:\n  webhooks:\n    - {name: a, address: http://a/}\n    - {name: a, address: http://b/}\n", 4, "apis.webhooks[1].name", "used twice")]
    [InlineData("storage:\n  type: floppy\n", 2, "storage.type", "expected sqlite, memory or redis")]
    [InlineData("storage:\n  sync: sometimes\n", 2, "storage.sync", "expected group or always")]
    [InlineData("storage:\n  commit_interval: 0\n", 2, "storage.commit_interval", "expected a number")]
    [InlineData("storage:\n  journal_changes: 0\n", 2, "storage.journal_changes", "expected a number")]
    [InlineData("apis:\n  address: 0.0.0.0\n", 2, "apis.address", "without apis.auth")]
    [InlineData("apis:\n  port: 80\n  address: \"\"\n", 3, "apis.address", "every interface without apis.auth")]
    [InlineData("apis:\n  auth: maybe\n", 2, "apis.auth", "or 'none'")]
    [InlineData("apis:\n  auth: []\n", 2, "apis.auth", "lock everyone out")]
    [InlineData("apis:\n  auth:\n    - {name: a, role: admin, token_sha256: 0000000000000000000000000000000000000000000000000000000000000000}\n", 3, "apis.auth[0].role", "read or write")]
    [InlineData("apis:\n  auth:\n    - {name: a, role: read, token_sha256: evk_secret}\n", 3, "apis.auth[0].token_sha256", "never the token itself")]
    [InlineData("apis:\n  auth:\n    - {name: a, role: read, token_sha256: 0000000000000000000000000000000000000000000000000000000000000000}\n    - {name: a, role: write, token_sha256: 0000000000000000000000000000000000000000000000000000000000000000}\n", 4, "apis.auth[1].name", "used twice")]
    [InlineData("apis:\n  cors_origins: [\"https://scada.example/app\"]\n", 2, "apis.cors_origins", "expected an origin")]
    [InlineData("apis:\n  hosts: [\"http://plc1\"]\n", 2, "apis.hosts", "no scheme")]
    [InlineData("apis:\n  tls: {certificate: /nonexistent/cert.pem, key: /nonexistent/key.pem}\n", 2, "apis.tls.certificate", "does not exist")]
    [InlineData("cluster:\n  node: plc1\n  membership: {type: redis, connection_string: \"10.0.0.5:6379\"}\n", 2, "cluster.site", "missing")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  tls:\n    ca: /nonexistent/site-ca.pem\n", 5, "cluster.tls.ca", "does not exist")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  tls:\n    key: /etc/hostname\n", 5, "cluster.tls.certificate", "needs both certificate and key")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  tls:\n    enabled: true\n", 5, "cluster.tls.ca", "missing")]
    [InlineData("cluster:\n  site: hall/2\n  membership: {type: redis, connection_string: \"10.0.0.5:6379\"}\n", 2, "cluster.site", "letters, digits")]
    [InlineData("cluster:\n  site: hall\n  node: plc 2\n  membership: {type: redis, connection_string: \"10.0.0.5:6379\"}\n", 3, "cluster.node", "letters, digits")]
    [InlineData("cluster:\n  site: hall\n", 2, "cluster.membership", "missing")]
    [InlineData("cluster:\n  site: hall\n  membership:\n    type: zookeeper\n    connection_string: x\n", 4, "cluster.membership.type", "expected redis")]
    [InlineData("cluster:\n  site: hall\n  membership:\n    type: mysql\n    connection_string: x\n", 4, "cluster.membership.type", "expected redis or postgresql")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis}\n", 3, "cluster.membership.connection_string", "missing")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  silo_port: 5000\n  gateway_port: 5000\n", 5, "cluster.gateway_port", "must differ")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  silo_port: 70000\n", 4, "cluster.silo_port", "whole number")]
    [InlineData("cluster:\n  site: hall\n  membership: {type: redis, connection_string: x}\n  advertised_address: plc2.local\n", 4, "cluster.advertised_address", "IP address")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    port: 0\n", 4, "apis.mqtt.port", "from 1 to 65535")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    qos: 3\n", 4, "apis.mqtt.qos", "from 0 to 2")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    base_topic: evok/#\n", 4, "apis.mqtt.base_topic", "no '+', '#'")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    base_topic: /evok\n", 4, "apis.mqtt.base_topic", "leading/trailing")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    device_mask: [relay, lamp]\n", 4, "apis.mqtt.device_mask", "unknown device type 'lamp'")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    password: secret\n", 4, "apis.mqtt.password", "needs a username")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    tls: {ca: /nonexistent/ca.pem}\n", 4, "apis.mqtt.tls.ca", "does not exist")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    discovery: {prefix: \"home+assistant\"}\n", 4, "apis.mqtt.discovery.prefix", "no '+', '#'")]
    [InlineData("apis:\n  mqtt:\n    enabled: yes please\n", 3, "apis.mqtt.enabled", "expected true or false")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    qos: 0\n    changes: true\n", 5, "apis.mqtt.changes", "needs qos 1 or 2")]
    [InlineData("apis:\n  webhooks:\n    - {name: \"mqtt:changes\", address: http://a/}\n", 3, "apis.webhooks[0].name", "must not contain ':'")]
    public void A_broken_config_line_is_reported_with_file_line_and_key(string yaml, int line, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Equal("config.yaml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"config.yaml:{line}: {key}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_are_kept_as_hashes_and_open_the_network_address_as_auth_none_does_on_purpose()
    {
        var token = ApiTokens.Create();
        var site = Parse($"apis:\n  address: 0.0.0.0\n  auth:\n    - {{name: scada, role: write, token_sha256: {ApiTokens.Sha256(token).ToUpperInvariant()}}}\n  hosts: [plc1.example]\n  cors_origins: [\"HTTPS://Scada.Example:8443\"]\n");

        var stored = Assert.Single(site.Api.Tokens);
        Assert.Equal(new ApiToken("scada", ApiRole.Write, ApiTokens.Sha256(token)), stored);
        Assert.Same(stored, ApiTokens.Find(site.Api.Tokens, token));
        Assert.Null(ApiTokens.Find(site.Api.Tokens, ApiTokens.Create()));
        Assert.Matches("^evk_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal("plc1.example", Assert.Single(site.Api.Hosts));
        Assert.Equal("https://scada.example:8443", Assert.Single(site.Api.CorsOrigins));
        Assert.True(Parse("apis:\n  address: 0.0.0.0\n  auth: none\n").Api.OpenOnPurpose);
        Assert.Empty(Parse("apis:\n  address: 127.0.0.1\n").Api.Tokens);
    }

    [Fact]
    public void Several_webhooks_each_keep_their_own_settings_next_to_evoks_single_webhook()
    {
        var site = Parse("""
            apis:
              webhook: {enabled: true, address: "http://127.0.0.1:8181", device_mask: [relay]}
              webhooks:
                - name: scada
                  address: https://scada.example/hooks/evok
                  device_mask: [di, ai]
                  complex_events: true
                  secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                  timeout: 2.5
                  max_outstanding_events: 500
                  overflow: drop_oldest
                - address: http://127.0.0.1:9000/
            storage: {type: redis, connection_string: "127.0.0.1:6380"}
            """);

        Assert.Equal(["webhook", "scada", "webhook3"], site.Api.Webhooks.Select(w => w.Name));
        var scada = site.Api.Webhooks[1];
        Assert.Equal(TimeSpan.FromSeconds(2.5), scada.Timeout);
        Assert.Equal(500, scada.MaxOutstandingEvents);
        Assert.Equal(WebhookOverflow.DropOldest, scada.Overflow);
        Assert.NotNull(scada.Secret);
        Assert.True(scada.DeviceMask.Contains(DeviceKind.AnalogInput));
        Assert.Equal(WebhookOverflow.Coalesce, site.Api.Webhooks[2].Overflow);
        Assert.True(site.Storage.IsRedis);
        Assert.Equal("127.0.0.1:6380", site.Storage.ConnectionString);
    }

    [Fact]
    public void The_same_device_name_on_two_channels_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse("""
            comm_channels:
              one:
                type: MODBUSTCP
                devices:
                  board: {model: "13"}
              two:
                type: MODBUSTCP
                port: 503
                devices:
                  board: {model: "13"}
            """));

        Assert.Equal(10, error.Line);
        Assert.Contains("already used at line 5", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_rtu_channel_takes_evoks_keys_and_ours()
    {
        var site = Parse("""
            comm_channels:
              rs485:
                type: MODBUSRTU
                port: /dev/extcomm/0/0
                baud_rate: 115200
                parity: E
                stop_bits: 2
                timeout: 0.2
                retries: 3
                devices:
                  ext: {model: "xS51", slave-id: 5}
            """);

        var channel = Assert.Single(site.Channels);
        var serial = Assert.IsType<SerialLineConfiguration>(channel.Serial);
        Assert.Equal(("/dev/extcomm/0/0", 115200, System.IO.Ports.Parity.Even, System.IO.Ports.StopBits.Two), (serial.Port, serial.BaudRate, serial.Parity, serial.StopBits));
        Assert.Equal((TimeSpan.FromSeconds(0.2), 3), (serial.Timeout, serial.Retries));
        Assert.Equal(("RTU", "/dev/extcomm/0/0"), (channel.ModbusType, channel.Specification));
        Assert.Equal(5, Assert.Single(channel.Devices).SlaveId);
    }

    [Fact]
    public void An_rtu_channel_defaults_to_evoks_line_settings_and_what_evok_meant_for_timeout()
    {
        var serial = Parse("""
            comm_channels:
              rs485:
                type: MODBUSRTU
                port: /dev/ttyNS0
                baudrate: 9600
            """).Channels.Single().Serial!;

        Assert.Equal((9600, System.IO.Ports.Parity.None, System.IO.Ports.StopBits.One), (serial.BaudRate, serial.Parity, serial.StopBits));
        Assert.Equal((TimeSpan.FromSeconds(0.5), 1), (serial.Timeout, serial.Retries));
    }

    [Theory]
    [InlineData("parity: X", 5, "parity", "expected N, E or O")]
    [InlineData("baudrate: fast", 5, "baudrate", "expected a whole number")]
    [InlineData("stopbits: 3", 5, "stopbits", "expected a number from 1 to 2")]
    [InlineData("timeout: 0", 5, "timeout", "expected a number from 0.01")]
    public void A_bad_rtu_line_setting_names_its_line_and_key(string setting, int line, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse($"""
            comm_channels:
              rs485:
                type: MODBUSRTU
                port: /dev/ttyNS0
                {setting}
            """));

        Assert.Equal(line, error.Line);
        Assert.EndsWith(key, error.Key, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OWFS")]
    [InlineData("OWBUS")]
    public void Both_of_evoks_1wire_bus_types_make_a_bus_with_evoks_keys_and_defaults(string type)
    {
        var site = Parse($"""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                devices:
                  "1": {"{"}model: "00"{"}"}
              OWFS:
                type: {type}
                interval: 10
                scan_interval: 0
                owpower: 1
              second:
                type: {type}
                host: 10.0.0.7
                port: 4305
            """);

        var (first, second) = (site.OneWireBuses[0], site.OneWireBuses[1]);
        Assert.Equal(("OWFS", "127.0.0.1", 4304, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), "1"), (first.Name, first.Host, first.Port, first.Interval, first.ScanInterval, first.OwPower));
        Assert.Equal(("10.0.0.7", 4305, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), (string?)null), (second.Host, second.Port, second.Interval, second.ScanInterval, second.OwPower));
        Assert.Empty(site.Warnings);
    }

    [Theory]
    [InlineData("owpower: 9", "no device named '9'")]
    [InlineData("owpower: 2", "device '2' (model 13) has no OWPOWER feature")]
    [InlineData("interval: 0", "expected a number from 0.1")]
    public void A_bad_1wire_setting_names_its_line_and_key(string setting, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse($"""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                devices:
                  "1": {"{"}model: "00"{"}"}
                  "2": {"{"}model: "13"{"}"}
              OWFS:
                type: OWBUS
                {setting}
            """));

        Assert.Equal(9, error.Line);
        Assert.EndsWith(setting[..setting.IndexOf(':', StringComparison.Ordinal)], error.Key, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_1wire_bus_lists_devices_by_name_type_address_and_interval_as_evoks_docs_write_them()
    {
        var site = Parse("""
            comm_channels:
              OWFS:
                type: OWBUS
                devices:
                  boiler: {type: DS18B20, address: 28000028d7000011, interval: 5}
                  clock: {type: ds2404, address: 04.000004FB0600.1C}
                  spare: {type: DS18B20, address: 28.000028D70000.22, enabled: false}
            """);

        Assert.Equal(
            [
                new OneWireDeviceConfiguration("boiler", "28.000028D70000.11", "DS18B20", TimeSpan.FromSeconds(5)),
                new OneWireDeviceConfiguration("clock", "04.000004FB0600.1C", "DS2404", TimeSpan.FromSeconds(15)),
            ],
            site.OneWireBuses.Single().Devices.AsEnumerable());
        Assert.Empty(site.Devices);
        Assert.Empty(site.Warnings);
    }

    [Theory]
    [InlineData("a: {type: DS1820, address: 28.000028D70000.11}", "type", "unknown 1-Wire type 'DS1820' (expected DS18B20, DS18S20, DS2404, DS2406, DS2408, DS2413, DS2438)")]
    [InlineData("a: {type: DS18B20, address: 28.000028D70000}", "address", "family.serial.crc in 16 hex digits")]
    [InlineData("a: {address: 28.000028D70000.11}", "type", "required")]
    [InlineData("a: {type: DS18B20, address: 28.000028D70000.11, interval: 0}", "interval", "expected a number from 0.1")]
    [InlineData("\"1\": {type: DS18B20, address: 28.000028D70000.11}", "1", "device name '1' is already used at line 5")]
    public void A_bad_listed_1wire_device_names_its_line_and_key(string entry, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse($"""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                devices:
                  "1": {"{"}model: "00"{"}"}
              OWFS:
                type: OWBUS
                devices:
                  {entry}
            """));

        Assert.Equal(9, error.Line);
        Assert.EndsWith(key, error.Key, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_frequency_0_scans_as_fast_as_the_bus_allows_as_in_evok()
    {
        var device = Parse("""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                devices:
                  "1": {model: "00", scan_frequency: 0}
                  "2": {model: "13"}
            """).Devices.ToList();

        Assert.Equal((true, TimeSpan.FromMilliseconds(1)), (device[0].AsFastAsTheBusAllows, device[0].ScanInterval));
        Assert.Equal((false, TimeSpan.FromMilliseconds(20)), (device[1].AsFastAsTheBusAllows, device[1].ScanInterval));
    }

    [Fact]
    public void A_device_with_a_device_info_of_its_own_is_listed_next_to_its_controller_as_evok_3_lists_it()
    {
        var site = Parse("""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                device_info: {family: Neuron, model: L203, sn: 7, board_count: 2}
                devices:
                  "1": {model: "00"}
                  "2": {model: "13"}
              RS485:
                type: MODBUSRTU
                port: /dev/ttyNS0
                devices:
                  meter: {slave-id: 2, model: xS51, device_info: {sn: 4711}}
                  iaq: {slave-id: 3, model: IAQ, device_info: {family: Sensors, model: IAQ-W}}
                  plain: {slave-id: 4, model: xS11}
              LOCAL_EXTRA:
                type: MODBUSTCP
                device_info: {family: Patron, model: S167}
                devices:
                  "3": {model: "13", device_info: {model: xS40}}
            """);

        Assert.Equal(
            [
                ("L203", "Neuron", "L203", 7L, 2),
                ("meter", "Extension", "xS51", 4711L, 1),
                ("iaq", "Sensors", "IAQ-W", null, 1),
                ("plain", "Extension", "xS11", null, 1),
                ("S167", "Patron", "S167", null, 1),
                ("3", "Extension", "xS40", null, 1),
            ],
            DeviceInfos.Of(site).Select(info => (info.Circuit, info.Family, info.Model, info.SerialNumber, info.BoardCount)));
        Assert.Empty(site.Warnings);
    }

    [Fact]
    public void Autogen_merges_config_over_autogen_yaml_and_errors_name_the_file_the_key_came_from()
    {
        File.WriteAllText(Path.Combine(_folder, "autogen.yaml"), """
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                port: 502
                devices:
                  "1": {slave-id: 1, model: "00"}
                  "2": {slave-id: 2, model: "nope"}
            """);
        var config = Path.Combine(_folder, "config.yaml");
        File.WriteAllText(config, "autogen: true\ncomm_channels:\n  LOCAL_TCP:\n    port: 1502\n    devices:\n      \"2\": {model: \"13\"}\n");

        var site = SiteConfigurationLoader.Load(config);
        var channel = Assert.Single(site.Channels);
        Assert.Equal(1502, channel.Port);
        Assert.Equal(["1", "2"], channel.Devices.Select(device => device.Name));
        Assert.Equal(("00", "13", (byte)2), (channel.Devices[0].Board.Model, channel.Devices[1].Board.Model, channel.Devices[1].SlaveId));

        File.WriteAllText(config, "autogen: true\n");
        var error = Assert.Throws<ConfigurationException>(() => SiteConfigurationLoader.Load(config));
        Assert.Equal((Path.Combine(_folder, "autogen.yaml"), 7), (error.File, error.Line));
        Assert.Contains("unknown model 'nope'", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    // The controller's own definitions decide: Evok 3's format means Evok 3's names, the older format Evok 2's.
    [InlineData("evok3", "00", "", false, EvokJsonStyle.Evok3)]
    [InlineData("evok3", "13", "", false, EvokJsonStyle.Evok3)]
    [InlineData("evok2", "00", "", true, EvokJsonStyle.Evok2)]
    [InlineData("evok2", "13", "", true, EvokJsonStyle.Evok2)]
    // xS10 (DIs and relays) reads the same in both formats: autogen, which only Unipi's OS configurator writes, decides.
    [InlineData("evok3", "xS10", "", true, EvokJsonStyle.Evok3)]
    [InlineData("evok3", "xS10", "", false, EvokJsonStyle.Evok2)]
    // No definitions next to the config (the built-in ones say nothing of the controller).
    [InlineData(null, "00", "", true, EvokJsonStyle.Evok3)]
    [InlineData(null, "00", "", false, EvokJsonStyle.Evok2)]
    // What config.yaml says wins, both ways.
    [InlineData("evok3", "00", "json_names: evok2", true, EvokJsonStyle.Evok2)]
    [InlineData("evok3", "00", "json_names: seed", true, EvokJsonStyle.Evok2)]
    [InlineData("evok2", "00", "json_names: evok3", false, EvokJsonStyle.Evok3)]
    public void The_default_naming_is_the_one_the_controllers_own_files_were_written_for(
        string? definitions, string model, string apis, bool autogen, EvokJsonStyle expected)
    {
        if (definitions is not null)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder, "hw_definitions")).FullName;
            File.Copy(Path.Combine(AppContext.BaseDirectory, "EvokDefinitions", definitions, model + ".yaml"), Path.Combine(folder, model + ".yaml"));
        }

        File.WriteAllText(Path.Combine(_folder, "autogen.yaml"), $"comm_channels:\n  LOCAL_TCP:\n    type: MODBUSTCP\n    devices:\n      \"1\": {{model: \"{model}\"}}\n");
        var config = Path.Combine(_folder, "config.yaml");
        File.WriteAllText(config, autogen
            ? $"autogen: true\napis:\n  port: 8080\n  {apis}\n"
            : $"apis:\n  port: 8080\n  {apis}\ncomm_channels:\n  LOCAL_TCP:\n    type: MODBUSTCP\n    devices:\n      \"1\": {{model: \"{model}\"}}\n");

        Assert.Equal(expected, SiteConfigurationLoader.Load(config).Api.JsonStyle);
    }

    [Fact]
    public void Autogen_without_its_file_is_a_warning_as_in_evok()
    {
        var config = Path.Combine(_folder, "config.yaml");
        File.WriteAllText(config, "autogen: true\n");

        Assert.Contains("autogen.yaml does not exist", Assert.Single(SiteConfigurationLoader.Load(config).Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_holding_every_key_is_honoured_and_only_what_nothing_reads_is_warned_about()
    {
        var site = Parse("""
            autogen: false
            apis:
              port: 8080
              address: 127.0.0.1
              orleans_dashboard: true
              orleans_stream: true
              json_names: evok3
              alias_file: /var/lib/evok/alias.yaml
              websocket: {enabled: false, all_filtered: true}
              webhook: {enabled: true, address: "http://127.0.0.1:8181", device_mask: [di], complex_events: true, timeout: 2}
              webhooks:
                - {name: scada, address: "http://127.0.0.1:8282", device_mask: [ro], secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, max_outstanding_events: 10, overflow: drop_oldest}
                - {name: later, enabled: false, address: "http://127.0.0.1:8383"}
              metrics: {enabled: true, orleans: false, otlp_endpoint: "http://127.0.0.1:4318"}
              mqtt: {enabled: false, host: broker, qos: 2}
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                hostname: 127.0.0.1
                port: 502
                enabled: true
                max_pipelined_requests: 4
                device_info: {family: Neuron, model: M203, sn: 17, board_count: 2}
                devices:
                  "1": {slave-id: 1, model: "00", scan_frequency: 10, enabled: true, scan_enabled: false}
                  "2": {slave-id: 2, model: "00", enabled: false, scan_frequency: 20}
              RS485:
                type: MODBUSRTU
                port: /dev/ttyNS0
                baud_rate: 9600
                parity: E
                stop_bits: 1
                timeout: 0.2
                retries: 2
              OWFS: {type: OWBUS, interval: 10, scan_interval: 60, owpower: 1, host: 127.0.0.1, port: 4304}
            logging:
              level: info
              file: /var/log/evok.log
            storage: {type: sqlite, sync: always, commit_interval: 2, journal_changes: 1000, journal_days: 2}
            """);

        Assert.Equal("config.yaml:38: logging.file: logs go to standard output (the journal under systemd), not to a file", Assert.Single(site.Warnings));
        Assert.Equal((false, true, "INFO"), (site.Api.WebSocketEnabled, site.Api.WebSocketAllFiltered, site.LogLevel));
        Assert.Equal((true, true), (site.Api.OrleansDashboard, site.Api.OrleansStream));
        Assert.False(site.Devices.Single().ScanEnabled);
        Assert.Equal(new DeviceInfoConfiguration("Neuron", "M203", 17, 2), site.Channels[0].DeviceInfo);
    }

    [Fact]
    public void Without_a_storage_section_the_journal_is_an_sqlite_file_next_to_config_yaml()
    {
        var folder = Directory.CreateTempSubdirectory("evok-storage-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "config.yaml"), "apis:\n  port: 8080\n");
            var memory = Path.Combine(folder, "memory.yaml");
            File.WriteAllText(memory, "storage: {type: memory}\n");

            var site = SiteConfigurationLoader.Load(Path.Combine(folder, "config.yaml"));

            Assert.Equal(("sqlite", Path.Combine(folder, "evok-orleans.db")), (site.Storage.Kind, site.Storage.JournalFile));
            Assert.Equal((TimeSpan.FromSeconds(1), false, 500_000L, TimeSpan.FromDays(7)),
                (site.Storage.CommitInterval, site.Storage.SyncAlways, site.Storage.KeepChanges, site.Storage.KeepAge));
            Assert.Null(SiteConfigurationLoader.Load(memory).Storage.JournalFile);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_misspelt_key_is_warned_about_with_its_file_and_line()
    {
        var site = Parse("""
            comm_channels:
              LOCAL_TCP:
                type: MODBUSTCP
                devices:
                  "1": {model: "00", scan_frequncy: 10}
            """);

        Assert.Equal("config.yaml:5: comm_channels.LOCAL_TCP.devices.1.scan_frequncy: not a key Evok or Evok.Orleans knows; ignored", Assert.Single(site.Warnings));
    }

    [Theory]
    [InlineData("storage: {type: sqlite, sink: always}\n", "config.yaml:1: storage.sink")]
    [InlineData("apis:\n  webhooks:\n    - {address: \"http://127.0.0.1:1\"}\n    - {name: b, address: \"http://127.0.0.1:2\", secrit: x}\n", "config.yaml:4: apis.webhooks[1].secrit")]
    [InlineData("apis:\n  mqtt:\n    enabled: true\n    hots: broker\n", "config.yaml:4: apis.mqtt.hots")]
    [InlineData("comm_channels:\n  OW: {type: OWBUS, hostname: 127.0.0.1}\n", "config.yaml:2: comm_channels.OW.hostname")]
    [InlineData("loging: {level: info}\n", "config.yaml:1: loging")]
    public void A_key_no_section_reads_is_warned_about_wherever_it_is_in_the_file(string yaml, string warning)
    {
        Assert.Equal($"{warning}: not a key Evok or Evok.Orleans knows; ignored", Assert.Single(Parse(yaml).Warnings));
    }

    [Theory]
    [InlineData("comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a: {model: \"00\", scan_frequency: NaN}\n", 5, "scan_frequency", "expected a number")]
    [InlineData("apis:\n  webhook: {enabled: true, timeout: NaN}\n", 2, "timeout", "expected a number")]
    [InlineData("? [a]\n: 1\n", 1, "(yaml)", "a key must be a plain name")]
    [InlineData("apis:\n  address: 127.0.0.1/api\n", 2, "address", "expected an IP address or a host name")]
    [InlineData("apis:\n  address: no-such-host.invalid\n", 2, "address", "does not resolve")]
    public void A_value_that_would_crash_the_silo_is_an_error_naming_its_line(string yaml, int line, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Equal(line, error.Line);
        Assert.EndsWith(key, error.Key, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_behind_a_complex_key_is_refused_at_once()
    {
        var bomb = new System.Text.StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level < 9; level++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $"b{level}: &b{level} [{string.Join(", ", Enumerable.Repeat(level == 1 ? "*a" : $"*b{level - 1}", 9))}]\n");
        }

        bomb.Append("? [*b8]\n: 1\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<ConfigurationException>(() => Parse(bomb.ToString()));

        Assert.Contains("a key must be a plain name", error.Problem, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_host_name_address_listens_on_what_it_resolves_to()
    {
        var site = Parse("apis:\n  address: localhost\n");

        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(site.Api.Address)), site.Api.Address);
    }

    [Fact]
    public void An_rtu_channel_without_a_port_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse("""
            comm_channels:
              rs485:
                type: MODBUSRTU
            """));

        Assert.EndsWith("port", error.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_next_to_the_config_wins_and_a_register_outside_every_block_names_its_feature()
    {
        var definitions = Directory.CreateDirectory(Path.Combine(_folder, "hw_definitions"));
        File.WriteAllText(Path.Combine(definitions.FullName, "13.yaml"), """
            modbus_register_blocks:
              - start_reg: 0
                count: 2
            modbus_features:
              - type: RO
                count: 5
                val_reg: 1
                val_coil: 0
              - type: AO
                count: 4
                val_reg: 2
            """);
        var config = Path.Combine(_folder, "config.yaml");
        File.WriteAllText(config, "comm_channels:\n  bus:\n    type: MODBUSTCP\n    devices:\n      a: {model: \"13\"}\n");

        var error = Assert.Throws<ConfigurationException>(() => SiteConfigurationLoader.Load(config));

        Assert.EndsWith(Path.Combine("hw_definitions", "13.yaml"), error.File, StringComparison.Ordinal);
        Assert.Equal(9, error.Line);
        Assert.Equal("modbus_features[1]", error.Key);
        Assert.Contains("register 2 of AnalogOutput circuit 1 lies outside every modbus_register_blocks entry", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_a_configuration_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => SiteConfigurationLoader.Load(Path.Combine(_folder, "absent.yaml")));

        Assert.Contains("config file not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00", 4 + 4 + 1 + 1 + 4 + 1 + 1 + 21 + 32)]
    [InlineData("13", 4 + 5 + 4 + 4 + 1 + 28 + 24)]
    [InlineData("xS51", 5 + 4 + 4 + 4 + 1 + 27 + 25)]
    [InlineData("E4AI4AO", 4 + 5 + 4 + 4 + 1 + 28 + 24)]
    public void Every_built_in_definition_loads_with_all_its_circuits(string model, int circuits)
    {
        var definition = new HardwareDefinitionCatalog().Find(model);

        Assert.NotNull(definition);
        Assert.Empty(definition.Warnings);
        Assert.Equal(circuits, definition.Features.Sum(feature => feature.Count));
    }

    [Fact]
    public void Evoks_older_definition_format_loads_with_list_modes_and_the_brain_ao()
    {
        var definition = BoardDefinitionParser.Parse("00", "00.yaml", """
            ---
            type: 00
            modbus_register_blocks:
              - start_reg   : 0
                count       : 2
                frequency   : 1
              - start_reg   : 1000
                count       : 32
                frequency   : 5
              - start_reg   : 3000
                count       : 6
                frequency   : 10
            modbus_features:
              - type        : AO
                count       : 1
                modes       :
                  - Voltage
                  - Current
                  - Resistance
                val_reg     : 3000
                res_val_reg : 3004
                mode_reg    : 1019
              - type        : UART
                count       : 1
                conf_reg    : 1023
            """);

        Assert.IsType<Evok.Orleans.Hardware.Features.BrainAnalogOutputFeature>(Assert.Single(definition.Features));
        Assert.Contains("feature type 'UART' is not supported; skipped", Assert.Single(definition.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_section_makes_the_controller_a_named_node_of_its_site()
    {
        var site = Parse("""
            cluster:
              site: hall-a
              node: plc2
              membership: {type: redis, connection_string: "10.0.0.5:6379,password=secret"}
              silo_port: 11112
              gateway_port: 30001
              advertised_address: 10.0.0.12
            """);

        Assert.Equal(new ClusterConfiguration("hall-a", "plc2", new MembershipConfiguration(MembershipKind.Redis, "10.0.0.5:6379,password=secret") { ConnectionStringLine = 4 })
        {
            SiloPort = 11112,
            GatewayPort = 30001,
            AdvertisedAddress = System.Net.IPAddress.Parse("10.0.0.12"),
        }, site.Cluster);
        Assert.Equal("plc2", site.Node);
        Assert.Empty(site.Warnings);
    }

    [Fact]
    public void Without_a_cluster_section_the_controller_is_on_its_own_with_unqualified_names()
    {
        var site = Parse("apis:\n  port: 8080\n");

        Assert.Null(site.Cluster);
        Assert.Equal(string.Empty, site.Node);
    }

    [Fact]
    public void A_node_is_named_after_the_host_when_the_cluster_section_does_not_say()
    {
        var site = Parse("cluster:\n  site: hall\n  membership: {type: redis, connection_string: \"10.0.0.5:6379\"}\n  gossip: true\n");

        Assert.Equal(System.Net.Dns.GetHostName().Split('.')[0], site.Node);
        Assert.Equal((11111, 30000), (site.Cluster!.SiloPort, site.Cluster.GatewayPort));
        Assert.Contains(site.Warnings, warning => warning.StartsWith("config.yaml:4: cluster.gossip: not a key", StringComparison.Ordinal));
    }

    private const string SiteOfPlc3 = "cluster:\n  site: hall\n  node: plc3\n  membership: {type: redis, connection_string: \"10.0.0.5:6379\"}\n";

    [Fact]
    public void A_standby_channel_holds_another_nodes_devices_under_their_own_names_apart_from_this_controllers()
    {
        var site = Parse(SiteOfPlc3 + """
            comm_channels:
              local:
                type: MODBUSTCP
                devices:
                  "1": {slave-id: 1, model: "00"}
              gateway:
                type: MODBUSTCP
                hostname: 10.0.0.50
                standby_for: plc2
                devices:
                  "1": {slave-id: 7, model: "13"}
            """);

        Assert.Equal(["1"], site.Devices.Select(device => device.Name));
        var standby = Assert.Single(site.StandbyChannels);
        Assert.Equal(("plc2", true), (standby.StandbyFor, standby.Failover));
        Assert.Equal(["plc2"], site.StandbyNodes.AsEnumerable());
        var plc2 = site.StandbyFor("plc2");
        Assert.Equal(("plc2", 7), (plc2.Node, plc2.Devices.Single().SlaveId));
        Assert.Empty(plc2.Api.Webhooks);
        Assert.Empty(site.Warnings);
    }

    [Theory]
    [InlineData("type: MODBUSRTU\n    port: /dev/ttyS0\n    failover: true", "comm_channels.line.failover", "only a MODBUSTCP channel")]
    [InlineData("type: MODBUSTCP\n    standby_for: plc3", "comm_channels.line.standby_for", "this controller's own node")]
    public void A_failover_that_cannot_work_stops_the_silo_with_file_line_and_key(string channel, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(SiteOfPlc3 + $"comm_channels:\n  line:\n    {channel}\n"));

        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 4);
    }

    [Fact]
    public void A_failover_bus_needs_a_site_to_fail_over_in()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse("comm_channels:\n  gateway:\n    type: MODBUSTCP\n    failover: true\n"));

        Assert.Equal(("comm_channels.gateway.failover", 4), (error.Key, error.Line));
        Assert.Contains("add a cluster section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mqtt_is_off_unless_enabled_and_takes_evoks_naming_defaults()
    {
        Assert.Null(Parse("apis:\n  mqtt:\n    host: broker\n").Api.Mqtt);

        var mqtt = Parse("apis:\n  mqtt:\n    enabled: true\n    username: evok\n    password: pw\n    discovery: {lights: [\"2_01\", al_hall]}\n").Api.Mqtt!;

        Assert.Equal(("127.0.0.1", 1883, 1, true, "homeassistant"), (mqtt.Host, mqtt.Port, mqtt.QualityOfService, mqtt.Discovery, mqtt.DiscoveryPrefix));
        Assert.Equal(("evok", "pw"), (mqtt.Username, mqtt.Password));
        Assert.Null(mqtt.BaseTopic);
        Assert.Equal(new[] { "2_01", "al_hall" }, mqtt.Lights.AsEnumerable());
        Assert.True(mqtt.DeviceMask.Contains(DeviceKind.RelayOutput) && mqtt.DeviceMask.Contains(DeviceKind.AnalogInput));
    }

    [Fact]
    public void An_mqtt_ca_file_of_certificates_without_keys_is_accepted()
    {
        var folder = Directory.CreateTempSubdirectory("evok-ca-").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=site-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(folder, "ca.pem"), authority.ExportCertificatePem());
            File.WriteAllText(Path.Combine(folder, "empty.pem"), "no certificate here");

            var mqtt = SiteConfigurationLoader.Parse("config.yaml", "apis:\n  mqtt:\n    enabled: true\n    tls: {ca: ca.pem}\n", new HardwareDefinitionCatalog(), folder).Api.Mqtt!;
            var error = Assert.Throws<ConfigurationException>(() =>
                SiteConfigurationLoader.Parse("config.yaml", "apis:\n  mqtt:\n    enabled: true\n    tls: {ca: empty.pem}\n", new HardwareDefinitionCatalog(), folder));

            Assert.Equal((Path.Combine(folder, "ca.pem"), 8883), (mqtt.Tls!.CaCertificate, mqtt.Port));
            Assert.Equal(("apis.mqtt.tls.ca", 4), (error.Key, error.Line));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static SiteConfiguration Parse(string yaml) =>
        SiteConfigurationLoader.Parse("config.yaml", yaml, new HardwareDefinitionCatalog());
}
