package io.quintet.feeds.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class SeriesPartitionerTest {
    final SeriesPartitioner partitioner = new SeriesPartitioner();

    @Test
    void aPartialGoesWhereTheProducersDefaultPartitionerSentItBeforeThisClassExisted() {
        WindowAggregate agg = WindowAggregate.empty(MetricsSettings.defaults());
        for (String series :
                new String[] {"action:auth.user.login_failed", "domain:billing.*", "source:billing-service"}) {
            for (int n : new int[] {1, 6, 12}) {
                assertThat(partitioner.partitions("t", series, SeriesInput.of(agg), n))
                        .contains(
                                Set.of(BuiltInPartitioner.partitionForKey(series.getBytes(StandardCharsets.UTF_8), n)));
            }
        }
    }

    @Test
    void aWatermarkGoesToEveryPartition() {
        SeriesInput mark = SeriesInput.of(new SeriesInput.Watermark(3, 1_000L, false));
        assertThat(partitioner.partitions("t", SeriesPartitioner.WATERMARK_KEY, mark, 6))
                .contains(Set.of(0, 1, 2, 3, 4, 5));
    }
}
