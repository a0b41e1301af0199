package io.quintet.support.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transactional producer of {@link OneFlushPerCommitClientSupplier} leaves sending to the linger and the commit,
 * and loses nothing for it: what a transaction sent is in the topic once it commits, and a Kafka Streams application
 * under exactly-once with several tasks writes every output and changelog record exactly once.
 */
@KafkaCluster
@Timeout(180)
class OneFlushPerCommitClientSupplierIT {

    @Test
    void aTransactionalProducersFlushLeavesTheRecordsToTheCommit(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("one-flush-txn");
        kafka.createTopics(1, topic);
        Map<String, Object> config = producerConfig(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, RunningKafka.unique("one-flush-txn-id"));
        try (Producer<byte[], byte[]> producer = new OneFlushPerCommitClientSupplier().getProducer(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, "k".getBytes(), "v".getBytes()));
            producer.flush();
            assertThat(sent).as("sent by flush despite a one-minute linger").isNotDone();
            producer.commitTransaction();
            assertThat(sent).as("commitTransaction sends and waits").isDone();
            assertThat(sent.get().offset()).isZero();
        }
        assertThat(readCommitted(kafka, topic, 1)).containsExactly("v");
    }

    @Test
    void aProducerWithoutTransactionsFlushesAsUsual(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("one-flush-plain");
        kafka.createTopics(1, topic);
        try (Producer<byte[], byte[]> producer =
                new OneFlushPerCommitClientSupplier().getProducer(producerConfig(kafka))) {
            Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, "k".getBytes(), "v".getBytes()));
            producer.flush();
            assertThat(sent).isDone();
            assertThat(sent.get(10, TimeUnit.SECONDS).offset()).isZero();
        }
    }

    /**
     * Six tasks (two sub-topologies on three partitions: a repartition, then a count with a cached, changelogged store)
     * under exactly-once: every input record reaches the output once, and the counts on the output are those of the
     * input.
     */
    @Test
    void aStreamsApplicationUnderExactlyOnceWritesEveryRecordOnce(RunningKafka kafka) throws Exception {
        String input = RunningKafka.unique("one-flush-in");
        String output = RunningKafka.unique("one-flush-out");
        String counts = RunningKafka.unique("one-flush-counts");
        String appId = RunningKafka.unique("one-flush-app");
        kafka.createTopics(3, input, output, counts);

        StreamsBuilder builder = new StreamsBuilder();
        var stream = builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()));
        stream.to(output, Produced.with(Serdes.String(), Serdes.String()));
        stream.groupBy(
                        (k, v) -> "g" + (Integer.parseInt(v) % 10),
                        Grouped.with("by-group", Serdes.String(), Serdes.String()))
                .count(Named.as("count"), Materialized.as("counts"))
                .toStream(Named.as("counts-out"))
                .mapValues(Object::toString)
                .to(counts, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("one-flush").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        StreamsClientDefaults.applyTo(props);

        int n = 3_000;
        List<String> values = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props, new OneFlushPerCommitClientSupplier())) {
            streams.start();
            try (var producer = new KafkaProducer<>(
                    Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(input, "k" + i, Integer.toString(i)));
                    values.add(Integer.toString(i));
                }
                producer.flush();
            }
            assertThat(readCommitted(kafka, output, n)).containsExactlyInAnyOrderElementsOf(values);
            Map<String, String> last = new HashMap<>();
            try (var consumer = kafka.readCommittedConsumer(new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(
                        new TopicPartition(counts, 0), new TopicPartition(counts, 1), new TopicPartition(counts, 2)));
                await("each group's count reaches 300 on the output")
                        .atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                                last.put(r.key(), r.value());
                            }
                            assertThat(last)
                                    .hasSize(10)
                                    .allSatisfy(
                                            (group, count) -> assertThat(count).isEqualTo("300"));
                        });
            }
        }
    }

    private static Map<String, Object> producerConfig(RunningKafka kafka) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 60_000);
        return config;
    }

    /** Every committed value of the topic, once {@code expected} have been read and no more come within a second. */
    private static List<String> readCommitted(RunningKafka kafka, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (var consumer = kafka.readCommittedConsumer(new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            await("the committed records of " + topic)
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                        return values.size() >= expected;
                    });
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
