package io.quintet.enricher;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.topics.TopicsTool;
import io.quintet.testkit.RunningKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producing raw records and reading outputs (read_committed) against a real broker, for the integration tests. */
final class KafkaIo {
    private KafkaIo() {}

    /** Creates every catalogue topic under a fresh prefix and returns the catalogue. */
    static TopicCatalogue freshTopics(RunningKafka kafka, String base, int partitions) {
        TopicCatalogue topics = TopicCatalogue.of(RunningKafka.unique(base) + ".", partitions, (short) 1);
        try (Admin admin = kafka.admin()) {
            TopicsTool.ensure(admin, topics, false);
            awaitLeaders(admin, topics.specs().stream().map(s -> s.name()).toList());
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics", e);
        }
        return topics;
    }

    /** Waits until every partition has a leader, so the first produce does not race the topic's creation. */
    static void awaitLeaders(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean ready;
            try {
                var descriptions = admin.describeTopics(names).allTopicNames().get();
                ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()
                                && !p.isr().isEmpty());
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false; // a busy broker's metadata does not know the just-created topic yet
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics have no leaders after 30 s: " + names);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(100).toNanos());
        }
    }

    static KafkaProducer<String, byte[]> producer(RunningKafka kafka) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        // one request in flight: a retried first batch (fresh topic, busy broker) cannot fall behind
                        // later
                        // sequence numbers and be refused as out of order forever
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A binary-mode CloudEvent record of the event, keyed by actor id. */
    static ProducerRecord<String, byte[]> eventRecord(String topic, CanonicalEvent e) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new CloudEventSerde().serializer().serialize(topic, headers, e);
        return new ProducerRecord<>(topic, null, e.actor().id(), value, headers);
    }

    static KafkaConsumer<String, byte[]> committedReader(RunningKafka kafka, String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        RunningKafka.unique("reader"),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    /** Reads committed records of {@code topic} until {@code done} holds for what was read, or the deadline passes. */
    static List<ConsumerRecord<String, byte[]>> readUntil(
            RunningKafka kafka, String topic, Duration timeout, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topic)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Reads committed records for a while after the expected ones arrived, to catch anything extra. */
    static List<ConsumerRecord<String, byte[]>> readSettled(
            RunningKafka kafka, String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = committedReader(kafka, topic)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long quiet = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < quiet) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Starts the enricher in this JVM and waits until it is RUNNING. */
    static org.apache.kafka.streams.KafkaStreams startEnricher(EnricherConfig config, Duration timeout) {
        var privacy = config.privacy()
                .<io.quintet.enricher.privacy.PrivacyStep>map(p -> new io.quintet.enricher.privacy.Pseudonymization(
                        p, config.settings().topics()))
                .orElse(io.quintet.enricher.privacy.PrivacyStep.disabled());
        var topology = EnricherTopology.buildTopology(
                config.settings(),
                io.quintet.enricher.telemetry.EnricherTelemetry.noop(),
                privacy,
                config.auditChainer());
        var streams = new org.apache.kafka.streams.KafkaStreams(topology, config.streamsProperties());
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                streams.close(Duration.ofSeconds(10));
                throw new AssertionError(
                        "enricher did not reach RUNNING within " + timeout + "; is " + streams.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return streams;
    }
}
