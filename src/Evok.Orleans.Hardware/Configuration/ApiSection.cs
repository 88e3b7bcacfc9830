using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Hardware.Writes;
using Evok.Orleans.Hardware.Yaml;

namespace Evok.Orleans.Hardware.Configuration;

/// <summary>Reads <c>apis</c>: where the API listens, its webhooks, names, metrics, MQTT and security.</summary>
internal static class ApiSection
{
    public static ApiConfiguration Parse(YamlSection? apis, string? directory)
    {
        if (apis is null)
        {
            return ApiConfiguration.Default;
        }

        var webhooks = ImmutableArray.CreateBuilder<WebhookConfiguration>();
        if (apis.OptionalSection("webhook") is { } webhook)
        {
            if (webhook.Boolean("enabled", false))
            {
                webhooks.Add(WebhookSection.Parse("webhook", webhook));
            }
            else
            {
                webhook.Skip();
            }
        }

        foreach (var entry in apis.SectionList("webhooks"))
        {
            if (!entry.Boolean("enabled", true))
            {
                entry.Skip();
                continue;
            }

            var name = entry.OptionalString("name") ?? $"webhook{webhooks.Count + 1}";
            if (name.Contains(':', StringComparison.Ordinal))
            {
                // The journal keeps each webhook's place by its name, next to the MQTT changes topic's "mqtt:changes".
                throw entry.Error("name", $"webhook name '{WriteValue.Quote(name)}' must not contain ':'");
            }

            if (webhooks.Any(existing => existing.Name == name))
            {
                throw entry.Error("name", $"webhook name '{name}' is used twice");
            }

            webhooks.Add(WebhookSection.Parse(name, entry));
        }

        var api = new ApiConfiguration(
            ListenAddress(apis),
            apis.Integer("port", ApiConfiguration.Default.Port, 1, 65535),
            apis.OptionalSection("websocket")?.Boolean("enabled", true) ?? true,
            webhooks.ToImmutable())
        {
            OrleansDashboard = apis.Boolean("orleans_dashboard", false),
            OrleansStream = apis.Boolean("orleans_stream", false),
            WebSocketAllFiltered = apis.OptionalSection("websocket")?.Boolean("all_filtered", false) ?? false,
            JsonStyle = (apis.OptionalString("json_names") ?? "evok2").ToLowerInvariant() switch
            {
                "evok2" or "seed" => EvokJsonStyle.Evok2,
                "evok3" => EvokJsonStyle.Evok3,
                var other => throw apis.Error("json_names", $"expected evok2 or evok3, got '{other}'"),
            },
        };
        return ApiSecuritySection.Apply(
            api with { Metrics = MetricsSection.Parse(apis.OptionalSection("metrics")), Mqtt = MqttSection.Parse(apis.OptionalSection("mqtt"), directory) },
            apis,
            directory);
    }

    /// <summary>
    /// <c>apis.address</c>: empty for every interface, an IP address, or a host name, resolved here (Kestrel would
    /// listen on every interface for a name it does not know, while the log shows the name).
    /// </summary>
    private static string ListenAddress(YamlSection apis)
    {
        var address = apis.OptionalString("address") ?? ApiConfiguration.Default.Address;
        if (address.Length == 0 || IPAddress.TryParse(address, out _))
        {
            return address;
        }

        if (Uri.CheckHostName(address) != UriHostNameType.Dns)
        {
            throw apis.Error("address", $"expected an IP address or a host name, got '{WriteValue.Quote(address)}'");
        }

        try
        {
            var resolved = Dns.GetHostAddresses(address);
            return (resolved.FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork) ?? resolved.First()).ToString();
        }
        catch (Exception exception) when (exception is SocketException or InvalidOperationException)
        {
            throw apis.Error("address", $"host name '{address}' does not resolve to an address of this machine");
        }
    }
}
