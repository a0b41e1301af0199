package io.quintet.feeds.stream;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around one topology with the canonical input topic as CloudEvents (binary mode). */
public final class TopologyFixture implements AutoCloseable {
    public final TopicCatalogue topics = TopicCatalogue.defaults();
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, CanonicalEvent> canonical;
    public final TestInputTopic<String, byte[]> canonicalRaw;

    public TopologyFixture(Topology topology) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "feed-aggregator-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            p.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory("fa-test").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(topology, p);
        canonical = driver.createInputTopic(
                topics.name(TopicCatalogue.EVENTS_CANONICAL),
                new StringSerializer(),
                new CloudEventSerde().serializer());
        canonicalRaw = driver.createInputTopic(
                topics.name(TopicCatalogue.EVENTS_CANONICAL), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Pipes the event with its event time as record time, as the enricher writes it, then lets a combine interval of
     * wall-clock time pass, so the metrics combiner sends its partials on. (The driver runs all sub-topologies in one
     * task, so the input topic's record times drive stream time everywhere.) {@link #sendWithoutFlush} leaves them.
     */
    public void send(CanonicalEvent e) {
        sendWithoutFlush(e);
        flushPartials();
    }

    public void sendWithoutFlush(CanonicalEvent e) {
        canonical.pipeInput(e.actor() == null ? null : e.actor().id(), e, e.eventTimestamp());
    }

    /** Lets the combine interval pass in wall-clock time: the combiner sends every partial it holds. */
    public void flushPartials() {
        driver.advanceWallClockTime(io.quintet.feeds.metrics.MetricsSettings.DEFAULT_COMBINE_INTERVAL);
    }

    public TestOutputTopic<String, byte[]> rawOutput(String logicalTopic) {
        return driver.createOutputTopic(
                topics.name(logicalTopic), new StringDeserializer(), new ByteArrayDeserializer());
    }

    public TestOutputTopic<String, CanonicalEvent> cloudEventOutput(String logicalTopic) {
        return driver.createOutputTopic(
                topics.name(logicalTopic), new StringDeserializer(), new CloudEventSerde().deserializer());
    }

    /** A topology of the canonical source and one part, built by the same code the service composes. */
    public static org.apache.kafka.streams.Topology part(
            java.util.function.BiConsumer<
                            org.apache.kafka.streams.StreamsBuilder,
                            org.apache.kafka.streams.kstream.KStream<String, CanonicalEvent>>
                    part) {
        var builder = new org.apache.kafka.streams.StreamsBuilder();
        TopicCatalogue topics = TopicCatalogue.defaults();
        part.accept(
                builder,
                CanonicalSource.read(
                        builder, topics.name(TopicCatalogue.EVENTS_CANONICAL), topics.name(TopicCatalogue.EVENTS_DLQ)));
        return builder.build();
    }

    public static Path tempFile(String content) {
        try {
            Path f = Files.createTempFile("rules", ".yaml");
            Files.writeString(f, content);
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
