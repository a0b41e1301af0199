package io.quintet.model.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.EventDecodingException.Reason;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.testkit.KafkaCluster;
import io.quintet.testkit.RunningKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KafkaCluster
@Timeout(120)
class CloudEventKafkaRoundTripIT {

    @Test
    void binaryModeRoundTripsThroughARealBroker(RunningKafka kafka) {
        String topic = RunningKafka.unique("ce-binary");
        kafka.createTopics(1, topic);
        CanonicalEvent sent = EventFixtures.login();
        CloudEventSerde serde = new CloudEventSerde();
        try (var producer = new KafkaProducer<>(producerProps(kafka), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, sent.actor().id(), sent)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        ConsumerRecord<String, byte[]> raw = readAll(kafka, topic, 1).get(0);
        assertThat(header(raw, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(raw, "ce_type")).isEqualTo("auth.user.login_succeeded");
        assertThat(header(raw, "ce_id")).isEqualTo(sent.id());
        assertThat(header(raw, "ce_traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(header(raw, "content-type")).isEqualTo("application/json");

        CanonicalEvent received = serde.deserializer().deserialize(topic, raw.headers(), raw.value());
        assertThat(CanonicalJson.toJson(received)).isEqualTo(CanonicalJson.toJson(sent));
    }

    @Test
    void structuredModeWrittenByTheSdkIsRead(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("ce-structured");
        kafka.createTopics(1, topic);
        CanonicalEvent sent = EventFixtures.invoiceCreated();
        CloudEventSerializer structured = new CloudEventSerializer();
        structured.configure(
                Map.of(
                        CloudEventSerializer.ENCODING_CONFIG,
                        Encoding.STRUCTURED,
                        CloudEventSerializer.EVENT_FORMAT_CONFIG,
                        "application/cloudevents+json"),
                false);
        try (var producer =
                new KafkaProducer<String, CloudEvent>(producerProps(kafka), new StringSerializer(), structured)) {
            producer.send(new ProducerRecord<>(topic, "billing-service", CloudEventMapper.toCloudEvent(sent)))
                    .get();
        }

        ConsumerRecord<String, byte[]> raw = readAll(kafka, topic, 1).get(0);
        assertThat(header(raw, "content-type")).startsWith("application/cloudevents+json");
        assertThat(raw.headers().lastHeader("ce_specversion")).isNull();

        CanonicalEvent received = new CloudEventSerde().deserializer().deserialize(topic, raw.headers(), raw.value());
        // the SDK's JSON format re-reads embedded data with its own mapper, which normalises 1249.90 to 1249.9:
        // compare numbers by value, everything else exactly
        assertThat(CanonicalJson.toTree(received).equals(NUMERIC_VALUE, CanonicalJson.toTree(sent)))
                .isTrue();
        assertThat(received.entity().details()).containsEntry("currency", "EUR");
    }

    private static final java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> NUMERIC_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    @Test
    void aRecordThatIsNotACloudEventSurfacesAsATypedError(RunningKafka kafka) throws Exception {
        String topic = RunningKafka.unique("ce-garbage");
        kafka.createTopics(1, topic);
        try (var producer =
                new KafkaProducer<>(producerProps(kafka), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
            ProducerRecord<String, byte[]> badStructured =
                    new ProducerRecord<>(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
            badStructured
                    .headers()
                    .add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            producer.send(badStructured).get();
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(kafka, topic, 2);
        DecodeResult plainJson =
                CloudEventSerde.decode(records.get(0).headers(), records.get(0).value());
        DecodeResult broken =
                CloudEventSerde.decode(records.get(1).headers(), records.get(1).value());

        assertThat(plainJson)
                .isInstanceOfSatisfying(
                        DecodeResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(Reason.NOT_A_CLOUDEVENT));
        assertThat(broken)
                .isInstanceOfSatisfying(
                        DecodeResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(Reason.UNPARSEABLE));
        assertThatThrownBy(() -> new CloudEventSerde()
                        .deserializer()
                        .deserialize(
                                topic, records.get(0).headers(), records.get(0).value()))
                .isInstanceOf(EventDecodingException.class);
    }

    static Map<String, Object> producerProps(RunningKafka kafka) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
    }

    static List<ConsumerRecord<String, byte[]>> readAll(RunningKafka kafka, String topic, int expected) {
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
        assertThat(out).as("records read from " + topic).hasSize(expected);
        return out;
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
