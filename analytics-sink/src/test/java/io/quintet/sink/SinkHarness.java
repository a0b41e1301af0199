package io.quintet.sink;

import io.quintet.model.Action;
import io.quintet.model.Actor;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.Context;
import io.quintet.model.Entity;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.testkit.RunningKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One test's world: a unique topic on the shared broker, a warehouse in a temp directory, sink instances on their
 * own threads (each with its own catalog connection, as separate processes would have) and a reader of the table.
 */
final class SinkHarness implements AutoCloseable {
    static final Instant DAY0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final String[] ACTIONS = {
        "auth.user.login_succeeded",
        "billing.invoice.created",
        "workflow.execution.failed",
        "user.profile.updated",
        "email.message.opened"
    };

    final RunningKafka kafka;
    final String prefix;
    final String topic;
    final String group;
    final Path dir;
    final int partitions;
    private final List<Running> running = new ArrayList<>();
    private Catalog readerCatalog;

    SinkHarness(RunningKafka kafka, Path dir, int partitions) {
        this.kafka = kafka;
        this.prefix = RunningKafka.unique("sink") + ".";
        this.topic = prefix + "events.canonical";
        this.group = RunningKafka.unique("sink-group");
        this.dir = dir;
        this.partitions = partitions;
        kafka.createTopics(partitions, topic);
        awaitPartitionsServed();
    }

    /**
     * createTopics returns once the controller has the topic; the broker may not lead its partitions yet, and an
     * idempotent producer that races that ends in OUT_OF_ORDER_SEQUENCE retries. ListOffsets succeeds only once the
     * broker serves every partition.
     */
    private void awaitPartitionsServed() {
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request =
                    new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(
                        new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            admin.listOffsets(request).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("partitions of " + topic + " are not served", e);
        }
    }

    /** Settings for an instance; {@code overrides} on top of small test batches. */
    SinkConfig config(String instance, Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(SinkConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        raw.put(SinkConfig.TOPIC_PREFIX, prefix);
        raw.put(SinkConfig.GROUP_ID, group);
        raw.put(SinkConfig.INSTANCE_ID, instance);
        raw.put(SinkConfig.BATCH_MAX_AGE_MS, "1000");
        raw.put(SinkConfig.POLL_TIMEOUT_MS, "100");
        raw.put("kafka.client.max.poll.records", "500");
        raw.putAll(overrides);
        return TestCatalogs.config(dir, raw);
    }

    /** A canonical (pseudonymized) event number {@code i}: five domains, three days, every optional part varied. */
    static CanonicalEvent event(int i) {
        String action = ACTIONS[i % ACTIONS.length];
        Instant at = DAY0.plus(Duration.ofMinutes(17L * i % (3 * 24 * 60))).plusMillis(i % 1000);
        CanonicalEvent.Builder b = CanonicalEvent.builder()
                .id("evt-" + i)
                .eventTimestamp(at)
                .observedTimestamp(at.plusMillis(25))
                .source("test-source-" + (i % 3))
                .action(new Action(action, i % 2 == 0 ? "create" : "access"))
                .actor(new Actor("psn-" + (i % 50), Actor.USER, "psn-" + (i % 50), null))
                .entity(
                        i % 4 == 0
                                ? null
                                : new Entity("ent-" + i, "thing", EventFixtures.map("n", i, "tags", List.of("a", "b"))))
                .correlationId(i % 5 == 0 ? null : "corr-" + (i / 10));
        if (i % 3 != 0) {
            b.context(new Context(
                    new Context.Client(null, "agent/" + (i % 7), "sess-" + (i % 11)),
                    new Context.Telemetry(String.format("%032x", i), String.format("%016x", i), i * 1.5),
                    new Context.DomainSpecific(
                            null,
                            new Context.Analytics(
                                    EventFixtures.map("i", i, "even", i % 2 == 0),
                                    EventFixtures.map("plan", i % 2 == 0 ? "pro" : "free"))),
                    EventFixtures.map("deployment", "eu-west-1"),
                    i % 10 == 0 ? Context.Status.FAILURE : Context.Status.SUCCESS,
                    i % 10 == 0 ? new Context.ErrorInfo("e" + (i % 4), "failed " + i) : null));
        }
        return b.build();
    }

    /** Produces events {@code from..to-1} (keyed by actor pseudonym) and waits until the broker has them all. */
    void produce(int from, int to) {
        try (KafkaProducer<String, CanonicalEvent> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new CloudEventSerde().serializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                CanonicalEvent e = event(i);
                sent.add(producer.send(new ProducerRecord<>(topic, e.actor().id(), e)));
            }
            producer.flush();
            for (var f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("producing events failed", e);
        }
    }

    /** Produces a record that is not a CloudEvent, to a given partition. */
    void produceGarbage(int partition, String text) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, partition, "garbage", text.getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("producing garbage failed", e);
        }
    }

    private Map<String, Object> producerProps() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
    }

    /** Starts an instance on its own thread with its own catalog connection. */
    Running start(SinkConfig config, SinkListener listener) {
        Catalog catalog = TestCatalogs.catalog(config);
        AnalyticsSink sink = new AnalyticsSink(config, catalog, listener);
        CompletableFuture<Void> done = CompletableFuture.runAsync(sink::run, r -> {
            Thread t = new Thread(r, "sink-" + config.instanceId());
            t.setDaemon(true);
            t.start();
        });
        Running r = new Running(sink, done, catalog);
        running.add(r);
        return r;
    }

    /** The table as a separate reader sees it now. */
    Table table() {
        if (readerCatalog == null) {
            readerCatalog = TestCatalogs.catalog(config("reader", Map.of()));
        }
        return readerCatalog.loadTable(AnalyticsSink.tableIdentifier(config("reader", Map.of())));
    }

    boolean tableExists() {
        if (readerCatalog == null) {
            readerCatalog = TestCatalogs.catalog(config("reader", Map.of()));
        }
        return readerCatalog.tableExists(AnalyticsSink.tableIdentifier(config("reader", Map.of())));
    }

    /** Rows in the current snapshot, from its summary (cheap, for waiting). */
    long committedRowCount() {
        if (!tableExists()) {
            return 0;
        }
        Snapshot s = table().currentSnapshot();
        return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
    }

    /** Every row, read through Iceberg's generic reader. */
    List<Record> rows() {
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table()).build()) {
            rows.forEach(r -> out.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The sink state the table holds for this harness's group. */
    SinkState tableState() {
        return SinkState.read(table(), group);
    }

    @Override
    public void close() {
        for (Running r : running) {
            r.stopAndWait();
        }
        for (Running r : running) {
            r.closeCatalog();
        }
        if (readerCatalog instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A sink instance running on its own thread. */
    record Running(AnalyticsSink sink, CompletableFuture<Void> done, Catalog catalog) {
        void stopAndWait() {
            sink.stop();
            try {
                done.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // a crashed instance: the test that made it crash checks that
            } catch (Exception e) {
                throw new AssertionError("sink " + sink + " did not stop", e);
            }
        }

        void closeCatalog() {
            if (catalog instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
