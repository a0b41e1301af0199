package io.quintet.model.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KafkaCluster
@Timeout(120)
class EventPublisherIT {

    @Test
    void deliversKeyedByActorAndAConsumerReadsTheCloudEventHeaders(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("publisher");
        kafka.createTopics(3, topic);
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(EventFixtures.failedLogin(
                    java.util.UUID.randomUUID().toString(),
                    Instant.parse("2026-11-02T10:00:00Z").plusSeconds(i)));
        }
        events.add(EventFixtures.login());

        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        try (EventPublisher publisher =
                EventPublisher.builder(kafka.bootstrapServers()).topic(topic).build()) {
            events.forEach(e -> acks.add(publisher.publish(e)));
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        // every failed login of Bob lands in one partition: keyed by actor id
        assertThat(acks.subList(0, 20).stream().map(f -> f.join().partition()).distinct())
                .hasSize(1);

        List<ConsumerRecord<String, byte[]>> records = read(kafka, topic, events.size());
        ConsumerRecord<String, byte[]> login = records.stream()
                .filter(r -> r.key().equals(EventFixtures.ALICE))
                .findFirst()
                .orElseThrow();
        assertThat(header(login, "ce_type")).isEqualTo("auth.user.login_succeeded");
        assertThat(header(login, "ce_source")).isEqualTo("https://auth.example.com/login");
        assertThat(header(login, "ce_partitionkey")).isEqualTo(EventFixtures.ALICE);
        assertThat(header(login, "ce_dataschema")).isEqualTo("https://quintet.dev/schemas/canonical-event/2.0.json");
        CanonicalEvent decoded =
                new CloudEventSerde().deserializer().deserialize(topic, login.headers(), login.value());
        assertThat(decoded.id()).isEqualTo(EventFixtures.login().id());
        assertThat(records.stream().filter(r -> r.key().equals(EventFixtures.BOB)))
                .hasSize(20);
    }

    @Test
    void fillsIdAndObservedTimestampWhenTheProducerLeftThemOut(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("publisher-fill");
        kafka.createTopics(1, topic);
        CanonicalEvent bare = EventFixtures.login().toBuilder()
                .id(null)
                .observedTimestamp(null)
                .build();
        try (EventPublisher publisher =
                EventPublisher.builder(kafka.bootstrapServers()).topic(topic).build()) {
            publisher.publish(bare).get(30, TimeUnit.SECONDS);
        }
        ConsumerRecord<String, byte[]> r = read(kafka, topic, 1).get(0);
        CanonicalEvent decoded = new CloudEventSerde().deserializer().deserialize(topic, r.headers(), r.value());
        assertThat(decoded.id()).isNotBlank().isEqualTo(header(r, "ce_id"));
        assertThat(decoded.observedTimestamp()).isNotNull();
    }

    @Test
    void anEventWithoutActorFailsTheFutureInsteadOfThrowing(RunningKafka kafka) {
        try (EventPublisher publisher =
                EventPublisher.builder(kafka.bootstrapServers()).topic("unused").build()) {
            CompletableFuture<RecordMetadata> f =
                    publisher.publish(EventFixtures.login().withActor(null));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> EventPublisher.builder("x:1").producerConfig("acks", "0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<ConsumerRecord<String, byte[]>> read(RunningKafka kafka, String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                RunningKafka.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).hasSize(expected);
        return out;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
