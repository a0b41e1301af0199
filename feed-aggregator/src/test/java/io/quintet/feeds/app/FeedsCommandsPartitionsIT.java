package io.quintet.feeds.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The canonical read, the fan-out and the feed writer share tasks, so feeds.commands must have events.canonical's
 * partition count: a service started against a feeds.commands with another count refuses to start, saying why,
 * instead of writing actors' activities where no feed query looks.
 */
@KafkaCluster
@Timeout(120)
class FeedsCommandsPartitionsIT {
    @Test
    void aFeedsCommandsTopicWithAnotherPartitionCountThanTheCanonicalLogStopsTheServiceAtStart(RunningKafka kafka)
            throws Exception {
        String prefix = RunningKafka.unique("feeds-parts") + ".";
        ServiceTopics.create(kafka, prefix, 4);
        kafka.createTopics(2, prefix + FeedAggregatorTopology.FEEDS_COMMANDS);
        FeedAggregatorConfig config = FeedsTwoInstancesIT.config(kafka, prefix, RunningKafka.unique("feeds-parts-app"));

        assertThatThrownBy(() -> FeedAggregatorApp.start(config).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(prefix + "feeds.commands has 2 partitions")
                .hasMessageContaining("has 4");
    }
}
