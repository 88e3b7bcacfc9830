using Evok.Orleans.Mqtt.Publishing;

namespace Evok.Orleans.UnitTests.Mqtt;

public sealed class RetainedTopicsTests
{
    [Fact]
    public void A_topic_changed_again_before_it_is_sent_is_sent_once_with_its_newest_payload_in_its_first_place()
    {
        var topics = new RetainedTopics();
        topics.Offer("a", "1");
        topics.Offer("b", "1");
        topics.Offer("a", "2");
        topics.Offer("b", "1");

        Assert.Equal([new RetainedMessage("a", "2"), new RetainedMessage("b", "1")], topics.TakeDue(10));
        Assert.Empty(topics.TakeDue(10));
    }

    [Fact]
    public void What_did_not_reach_the_broker_goes_back_to_the_front_unless_a_newer_payload_is_already_due()
    {
        var topics = new RetainedTopics();
        topics.Offer("a", "1");
        topics.Offer("b", "1");
        topics.Offer("c", "1");
        var sent = topics.TakeDue(2);
        topics.Offer("b", "2");

        topics.NotSent(sent);

        Assert.Equal([new RetainedMessage("a", "1"), new RetainedMessage("c", "1"), new RetainedMessage("b", "2")], topics.TakeDue(10));
    }

    [Fact]
    public void After_a_reconnection_every_topic_is_due_again_and_a_selection_can_be_made_due_alone()
    {
        var topics = new RetainedTopics();
        topics.Offer("evok/relay/2_01", "{}");
        topics.Offer("homeassistant/switch/x/config", "{}");
        topics.TakeDue(10);

        topics.MakeAllDue(topic => topic.StartsWith("homeassistant/", StringComparison.Ordinal));
        Assert.Equal(["homeassistant/switch/x/config"], topics.TakeDue(10).Select(message => message.Topic));

        topics.MakeAllDue();
        Assert.Equal(2, topics.TakeDue(10).Count);
        Assert.Equal(0, topics.DueCount);
    }
}
