using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Evok.Orleans.Mqtt.Commands;
using Evok.Orleans.Mqtt.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Evok.Orleans.Mqtt;

/// <summary>
/// The silo's one connection to the broker. Connected, it publishes what <see cref="RetainedTopics"/> has due, in
/// order, several in flight at once; a lost connection is retried (1 s doubling to 10 s, one log line per outage) and
/// on every (re)connection it says <c>online</c>, subscribes to the <c>set</c> topics, removes discovery configs of
/// circuits that are gone and publishes every retained topic again (the broker may have lost them). With
/// <c>changes: true</c> it also publishes the change journal from where the broker stopped acknowledging
/// (<see cref="JournalChangeTopic"/>). <c>set</c> messages are queued to one command loop so the client's receive loop
/// never waits for a bus write.
/// </summary>
public sealed partial class MqttBridge(
    MqttBridgeOptions options,
    RetainedTopics retained,
    MqttCommandHandler commands,
    ILogger<MqttBridge> logger,
    JournalChangeTopic? changes = null) : BackgroundService
{
    private const int MaxInFlight = 64;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan DiscoverySweepTimeout = TimeSpan.FromSeconds(3);

    private readonly Channel<MqttApplicationMessage> _commands =
        Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentDictionary<string, bool> _retainedSetTopics = new(StringComparer.Ordinal);
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private DiscoverySweep? _sweep;
    private CancellationTokenSource _connection = new();

    private MqttTopics Topics => options.Topics;

    private MqttQualityOfServiceLevel Qos => (MqttQualityOfServiceLevel)options.Broker.QualityOfService;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += disconnected =>
        {
            // Also raised for a connection attempt that failed; only a lost connection ends the publishing loop.
            if (disconnected.ClientWasConnected)
            {
                _connection.Cancel();
            }

            return Task.CompletedTask;
        };
        var commandLoop = RunCommandsAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        string? outage = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not disposed: the disconnect handler may still cancel the previous one, and it holds no timer.
                _connection = new CancellationTokenSource();
                await ConnectAsync(stoppingToken);
                LogConnected(options.Broker.Host, options.Broker.Port, Topics.Base, retained.DueCount);
                outage = null;
                delay = TimeSpan.FromSeconds(1);
                await PublishWhileConnectedAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                var problem = exception.GetBaseException().Message;
                if (outage != problem)
                {
                    LogBrokerUnavailable(options.Broker.Host, options.Broker.Port, problem, retained.DueCount);
                    outage = problem;
                }
            }

            try
            {
                if (_client.IsConnected)
                {
                    // A publication the broker refused: start over on a fresh connection.
                    await _client.DisconnectAsync(new MqttClientDisconnectOptions(), stoppingToken);
                }

                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Never let the bridge end (a BackgroundService that throws stops the host): the next attempt starts clean.
                LogBrokerUnavailable(options.Broker.Host, options.Broker.Port, exception.GetBaseException().Message, retained.DueCount);
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }

        _commands.Writer.TryComplete();
        await commandLoop;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            // A clean stop says offline itself: the broker sends the will only when the connection is lost.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.PublishAsync(Message(Topics.Status, "offline", retain: true), timeout.Token);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogStopFailed(exception.Message);
            }
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        _connection.Dispose();
        base.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var broker = options.Broker;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(options.ClientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.Status)
            .WithWillPayload("offline")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(Qos);
        if (broker.Username is not null)
        {
            builder.WithCredentials(broker.Username, broker.Password ?? string.Empty);
        }

        if (broker.Tls is { } tls)
        {
            builder.WithTlsOptions(options =>
            {
                options.UseTls().WithTargetHost(broker.Host);
                if (tls.CaCertificate is not null)
                {
                    options.WithCertificateValidationHandler(BrokerCertificateAuthority.FromPemFile(tls.CaCertificate).Validate);
                }

                if (tls.Certificate is not null)
                {
                    options.WithClientCertificates([X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key)]);
                }
            });
        }

        var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        await _client.PublishAsync(Message(Topics.Status, "online", retain: true), cancellationToken);
        // MQTT 5 (MQTTnet's default protocol): retain-as-published keeps the retain flag on a set published retained
        // while we are subscribed, so it is recognised and ignored like one the broker had kept.
        var subscribe = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.SetFilter, Qos, noLocal: false, retainAsPublished: true, MqttRetainHandling.SendAtSubscribe);
        if (broker.Discovery)
        {
            subscribe.WithTopicFilter(Topics.HomeAssistantStatus, Qos);
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        if (broker.Discovery)
        {
            await RemoveStaleDiscoveryAsync(cancellationToken);
        }

        retained.MakeAllDue();
    }

    /// <summary>
    /// Reads the discovery configs the broker keeps under this controller's node id and clears those of circuits this
    /// silo no longer has (a board removed from config.yaml, a 1-Wire sensor gone): Home Assistant then removes them.
    /// A marker published after subscribing arrives after the retained configs, so the sweep knows it has all of them.
    /// </summary>
    private async Task RemoveStaleDiscoveryAsync(CancellationToken cancellationToken)
    {
        var sweep = new DiscoverySweep($"{Topics.Base}/discovery_sweep", Guid.NewGuid().ToString("N"));
        _sweep = sweep;
        try
        {
            await _client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.DiscoveryFilter, MqttQualityOfServiceLevel.AtLeastOnce).WithTopicFilter(sweep.MarkerTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken);
            await _client.PublishAsync(Message(sweep.MarkerTopic, sweep.Marker, retain: false), cancellationToken);
            await sweep.Complete.Task.WaitAsync(DiscoverySweepTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogSweepIncomplete(sweep.Found.Count);
        }
        finally
        {
            _sweep = null;
            await _client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(Topics.DiscoveryFilter).WithTopicFilter(sweep.MarkerTopic).Build(), cancellationToken);
        }

        var stale = sweep.Found.Keys.Where(topic => !retained.Contains(topic)).ToList();
        foreach (var topic in stale)
        {
            // An empty retained message deletes the retained config; Home Assistant removes the entity.
            await _client.PublishAsync(Message(topic, string.Empty, retain: true), cancellationToken);
        }

        if (stale.Count > 0)
        {
            LogStaleDiscoveryRemoved(stale.Count);
        }
    }

    /// <summary>
    /// Publishes the retained topics and, with <c>changes: true</c>, the journal's changes side by side until the
    /// connection is lost or one of them is refused; either way the other stops too and the connection starts over.
    /// </summary>
    private async Task PublishWhileConnectedAsync(CancellationToken stoppingToken)
    {
        using var connected = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _connection.Token);
        Task[] loops = changes is null
            ? [PublishRetainedAsync(stoppingToken, connected.Token)]
            : [PublishRetainedAsync(stoppingToken, connected.Token), PublishChangesAsync(changes, stoppingToken, connected.Token)];
        var first = await Task.WhenAny(loops);
        await connected.CancelAsync();
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await first;
    }

    private async Task PublishChangesAsync(JournalChangeTopic topic, CancellationToken stoppingToken, CancellationToken connected)
    {
        while (_client.IsConnected)
        {
            IReadOnlyList<string> payloads;
            long through;
            try
            {
                (payloads, through) = await topic.NextAsync(MaxInFlight, connected);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                throw new InvalidOperationException("the connection was lost");
            }

            // Started one after the other on one connection, they reach the broker in this order; the place moves
            // only when the broker has acknowledged all of them.
            var results = await Task.WhenAll(payloads.Select(payload => _client.PublishAsync(Message(topic.Topic, payload, retain: false), stoppingToken)));
            if (results.FirstOrDefault(result => !result.IsSuccess) is { } refused)
            {
                throw new InvalidOperationException($"the broker refused a change: {refused.ReasonCode} {refused.ReasonString}");
            }

            topic.Acknowledged(through);
        }

        throw new InvalidOperationException("the connection was lost");
    }

    private async Task PublishRetainedAsync(CancellationToken stoppingToken, CancellationToken connected)
    {
        while (_client.IsConnected)
        {
            var batch = retained.TakeDue(MaxInFlight);
            if (batch.Count == 0)
            {
                try
                {
                    await retained.WaitAsync(connected);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException("the connection was lost");
                }

                continue;
            }

            try
            {
                // Each topic is once in a batch, and the next batch waits for this one: per-topic order holds.
                var results = await Task.WhenAll(batch.Select(message => _client.PublishAsync(Message(message.Topic, message.Payload, retain: true), stoppingToken)));
                if (results.FirstOrDefault(result => !result.IsSuccess) is { } refused)
                {
                    throw new InvalidOperationException($"the broker refused a publication: {refused.ReasonCode} {refused.ReasonString}");
                }
            }
            catch
            {
                retained.NotSent(batch);
                throw;
            }
        }

        throw new InvalidOperationException("the connection was lost");
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs received)
    {
        var message = received.ApplicationMessage;
        if (_sweep is { } sweep)
        {
            if (message.Topic == sweep.MarkerTopic)
            {
                if (Encoding.UTF8.GetString(message.Payload) == sweep.Marker)
                {
                    sweep.Complete.TrySetResult();
                }

                return Task.CompletedTask;
            }

            if (message.Topic.EndsWith("/config", StringComparison.Ordinal) && message.Topic.Contains($"/{Topics.DiscoveryNodeId}/", StringComparison.Ordinal))
            {
                if (message.Payload.Length > 0)
                {
                    sweep.Found.TryAdd(message.Topic, true);
                }

                return Task.CompletedTask;
            }
        }

        if (message.Topic == Topics.HomeAssistantStatus)
        {
            if (Encoding.UTF8.GetString(message.Payload).Trim() == "online")
            {
                // Home Assistant (re)started: announce every entity again, as its documentation asks.
                retained.MakeAllDue(topic => !topic.StartsWith(Topics.Base + "/", StringComparison.Ordinal));
            }

            return Task.CompletedTask;
        }

        if (message.Retain)
        {
            // A retained set would switch an output on every reconnection (and Home Assistant's restart): never obeyed.
            if (_retainedSetTopics.TryAdd(message.Topic, true))
            {
                LogRetainedSetIgnored(message.Topic);
            }

            return Task.CompletedTask;
        }

        if (!_commands.Writer.TryWrite(message))
        {
            LogCommandDropped(message.Topic);
        }

        return Task.CompletedTask;
    }

    private async Task RunCommandsAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _commands.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (Topics.ParseSet(message.Topic) is not var (type, circuit))
            {
                continue;
            }

            var outcome = await commands.HandleAsync(message.Topic, type, circuit, message.Payload);
            if (outcome.ErrorTopic is not null && _client.IsConnected && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _client.PublishAsync(Message(outcome.ErrorTopic, outcome.ErrorJson!, retain: false), stoppingToken);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    LogErrorNotPublished(outcome.ErrorTopic, exception.Message);
                }
            }
        }
    }

    private MqttApplicationMessage Message(string topic, string payload, bool retain) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithRetainFlag(retain)
        .WithQualityOfServiceLevel(Qos)
        .Build();

    private sealed record DiscoverySweep(string MarkerTopic, string Marker)
    {
        public ConcurrentDictionary<string, bool> Found { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connected to {Host}:{Port}, publishing under {BaseTopic} ({Due} retained topics due)")]
    private partial void LogConnected(string host, int port, string baseTopic, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the broker {Host}:{Port} is not reachable: {Problem}; {Due} topics kept, trying again")]
    private partial void LogBrokerUnavailable(string host, int port, string problem, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: ignoring retained messages on {Topic}: a retained set would be obeyed again on every reconnection; publish sets without retain")]
    private partial void LogRetainedSetIgnored(string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: more than 1024 set messages wait; {Topic} dropped")]
    private partial void LogCommandDropped(string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the error answer on {Topic} was not published: {Problem}")]
    private partial void LogErrorNotPublished(string topic, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: removed {Count} Home Assistant discovery configs of circuits this controller no longer has")]
    private partial void LogStaleDiscoveryRemoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the discovery sweep did not complete in time ({Found} configs seen); stale configs stay until the next connection")]
    private partial void LogSweepIncomplete(int found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: could not say offline on stop: {Problem}")]
    private partial void LogStopFailed(string problem);
}
