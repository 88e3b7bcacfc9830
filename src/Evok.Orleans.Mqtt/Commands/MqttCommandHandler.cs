using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Evok.Orleans.Abstractions.Grains;
using Evok.Orleans.Abstractions.Json;
using Evok.Orleans.Abstractions.Writes;
using Evok.Orleans.Client;
using Microsoft.Extensions.Logging;

namespace Evok.Orleans.Mqtt.Commands;

/// <summary>
/// Carries out a <c>&lt;base&gt;/&lt;type&gt;/&lt;circuit&gt;/set</c> message with the REST API's validation: a plain value
/// (<c>1</c>, <c>on</c>, <c>5.5</c>) sets <c>value</c>, a JSON object sets its properties. Anything refused writes
/// nothing and is answered with Evok's error JSON on <c>.../error</c>. Commands are absolute (set 1, never toggle), so
/// a QoS 1 duplicate sets the same value again and changes nothing.
/// </summary>
public sealed partial class MqttCommandHandler(EvokDevices devices, ILogger<MqttCommandHandler> logger)
{
    /// <summary>Evok's writes are a few properties; a payload larger than this is refused unread.</summary>
    public const int MaxPayloadBytes = 4096;

    private const int MaxAssignments = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<MqttCommandOutcome> HandleAsync(string topic, string type, string circuit, ReadOnlySequence<byte> payload)
    {
        var errorTopic = MqttTopics.Error(topic[..^"/set".Length]);
        try
        {
            await devices.SetAsync(type, circuit, Assignments(payload));
            return MqttCommandOutcome.Done;
        }
        catch (DeviceWriteException exception)
        {
            return Refused(topic, errorTopic, exception.Property.Length > 0 ? exception.Property : "value", exception.Message);
        }
        catch (DeviceNotFoundException)
        {
            return Refused(topic, errorTopic, "DeviceNotFound", $"no {type} device '{circuit}'");
        }
        catch (BusWriteException exception)
        {
            return Refused(topic, errorTopic, "bus", $"{type} '{circuit}' was not written: {exception.Message}");
        }
        catch (NodeUnavailableException exception)
        {
            return Refused(topic, errorTopic, "NodeUnavailable", exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogCommandFailed(topic, exception);
            return Refused(topic, errorTopic, "error", exception.Message);
        }
    }

    private static ImmutableArray<PropertyAssignment> Assignments(ReadOnlySequence<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new DeviceWriteException("body", $"the payload has {payload.Length} bytes; at most {MaxPayloadBytes}");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload).Trim();
        }
        catch (DecoderFallbackException)
        {
            throw new DeviceWriteException("body", "the payload is not UTF-8 text");
        }

        if (text.Length == 0)
        {
            throw new DeviceWriteException("body", "the payload is empty: send a value like 1, or a JSON object like {\"value\": 1}");
        }

        if (!text.StartsWith('{'))
        {
            // Home Assistant and Node-RED speak on/off and true/false as often as 1/0.
            var value = text.ToLowerInvariant() switch
            {
                "on" or "true" => "1",
                "off" or "false" => "0",
                _ => text,
            };
            return [new PropertyAssignment("value", value)];
        }

        ImmutableArray<PropertyAssignment> assignments;
        try
        {
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            assignments = PropertyAssignments.FromJsonObject(json.RootElement);
        }
        catch (JsonException exception)
        {
            throw new DeviceWriteException("body", $"the payload is not JSON: {exception.Message}");
        }

        return assignments.Length switch
        {
            0 => throw new DeviceWriteException("body", "nothing to set: give at least one property, like {\"value\": 1}"),
            > MaxAssignments => throw new DeviceWriteException("body", $"{assignments.Length} properties in one message; at most {MaxAssignments}"),
            _ => assignments,
        };
    }

    private MqttCommandOutcome Refused(string topic, string errorTopic, string key, string message)
    {
        LogCommandRefused(topic, key, EvokErrorJson.Bounded(message));
        return new MqttCommandOutcome(errorTopic, EvokErrorJson.Render(key, message));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT {Topic}: refused, nothing written: {Key}: {Problem}")]
    private partial void LogCommandRefused(string topic, string key, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT {Topic}: the command failed")]
    private partial void LogCommandFailed(string topic, Exception exception);
}
