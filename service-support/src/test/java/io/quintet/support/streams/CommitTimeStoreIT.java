package io.quintet.support.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under exactly-once on a real broker, the values a {@link CommitTimeStore} holds until the commit reach the changelog
 * in the transaction that commits the input offsets: once the group's committed offset covers every input record,
 * a read_committed reader of the changelog sees each key's last value. Were the pending values written after the
 * transaction (by the store's post-commit flush), the last ones would sit in a transaction nobody commits while no
 * new input arrives, and this test would see older counts.
 */
@KafkaCluster
@Timeout(180)
class CommitTimeStoreIT {
    static final String STORE = "counts";

    @Test
    void pendingWritesReachTheChangelogInTheTransactionThatCommitsTheirInputOffsets(RunningKafka kafka)
            throws Exception {
        String input = RunningKafka.unique("commit-time-in");
        String appId = RunningKafka.unique("commit-time-app");
        kafka.createTopics(1, input);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(CommitTimeStore.builder(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
                        .withCachingEnabled()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .process(Count::new, Named.as("count"), STORE);
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("commit-time").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        Map<String, Long> sent = new HashMap<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            try (var producer = new KafkaProducer<>(
                    Map.<String, Object>of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 500; i++) {
                    String key = "k" + (i % 7);
                    producer.send(new ProducerRecord<>(input, key, "v" + i));
                    sent.merge(key, 1L, Long::sum);
                }
                producer.flush();
            }
            try (Admin admin = kafka.admin()) {
                await("the group's committed offset covers all 500 input records")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> {
                            OffsetAndMetadata o = admin.listConsumerGroupOffsets(appId)
                                    .partitionsToOffsetAndMetadata()
                                    .get()
                                    .get(new TopicPartition(input, 0));
                            return o != null && o.offset() >= 500;
                        });
            }
            // no more input from here: no later transaction would commit values written after this one
            Map<String, Long> changelog = new HashMap<>();
            try (var consumer = kafka.readCommittedConsumer(new StringDeserializer(), new LongDeserializer())) {
                consumer.assign(List.of(new TopicPartition(appId + "-" + STORE + "-changelog", 0)));
                await("the changelog's committed records")
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> {
                            for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                                changelog.put(r.key(), r.value());
                            }
                            assertThat(changelog).isEqualTo(sent);
                        });
            }
        }
    }

    /** Counts records per key in the store. */
    static final class Count implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            Long c = counts.get(record.key());
            counts.put(record.key(), c == null ? 1 : c + 1);
        }
    }
}
