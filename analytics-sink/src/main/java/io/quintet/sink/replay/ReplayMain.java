package io.quintet.sink.replay;

import io.quintet.model.ActionPattern;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.sink.read.EventRange;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: re-publishes a time range (and optionally an action pattern) of the warm store into a topic as
 * canonical CloudEvents, so that a new read model can be built from history older than Kafka's retention.
 * <pre>
 *   ReplayMain --from 2026-01-01 --to 2026-02-01T12:00:00Z --topic replay.billing [--action 'billing.*']
 *              [--config sink.properties] [--bootstrap host:9092]
 * </pre>
 * The table and brokers come from the sink's configuration ({@code --config}, {@code QUINTET_SINK_*});
 * {@code kafka.client.*} settings that are producer settings (security, ...) go to the producer. Ends with one line:
 * events published, rows read and events/s. Exit 0 done, 1 failed (Kafka refused a send; events before it may have
 * been published), 2 usage or configuration error, 3 no such table.
 */
public final class ReplayMain {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREADABLE = 3;

    @Command(
            name = "ReplayMain",
            description = "Re-publishes a time range of the warm store into a topic.",
            footer = "exit: 0 done, 1 a send failed, 2 usage or configuration error, 3 no such table")
    static final class Line {
        @Option(
                names = "--from",
                required = true,
                paramLabel = "TIME",
                description =
                        "the event-time range [from, to): 2026-11-01 (start of that UTC day) or 2026-11-01T09:30:00Z")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "the end of the range (excluded)")
        String to;

        @Option(
                names = "--topic",
                required = true,
                paramLabel = "NAME",
                description = {
                    "the topic to publish into (not events.raw / events.canonical: use a topic of the new",
                    "read model); created by the broker's auto-creation or beforehand"
                })
        String topic;

        @Option(
                names = "--action",
                paramLabel = "PATTERN",
                description = "an action pattern: billing.*, *.login_failed, auth.user.login_failed (default: all)")
        String action;

        @Option(
                names = "--config",
                paramLabel = "sink.properties",
                description = "the analytics sink's configuration (the table, the brokers); QUINTET_SINK_* override it")
        Path config;

        @Option(
                names = "--bootstrap",
                paramLabel = "HOST:PORT",
                description = "brokers, instead of kafka.bootstrap.servers")
        String bootstrap;
    }

    private ReplayMain() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Line options = new Line();
        Integer parsed = Cli.parse(options, "replay", out, err, argv);
        if (parsed != null) {
            return parsed;
        }
        try {
            SinkConfig sink = SinkConfig.load(options.config, env);
            String topic = options.topic;
            TopicCatalogue topics = TopicCatalogue.of(sink.topicPrefix(), 1, (short) 1); // names only
            if (topic.equals(topics.name(TopicCatalogue.EVENTS_CANONICAL))
                    || topic.equals(topics.name(TopicCatalogue.EVENTS_RAW))) {
                throw new UsageException("refusing to replay into " + topic + ": every read model and the sink itself"
                        + " would see the events twice; publish into a topic of the new read model");
            }
            EventRange range = new EventRange(
                    time(options.from, "from"),
                    time(options.to, "to"),
                    options.action != null ? pattern(options.action) : null);
            String bootstrap = options.bootstrap != null ? options.bootstrap : sink.bootstrapServers();
            Catalog catalog = CatalogFactory.create(sink);
            try (Producer<String, CanonicalEvent> producer = producer(bootstrap, sink.kafkaClientOverrides())) {
                Table table = catalog.loadTable(AnalyticsSink.tableIdentifier(sink));
                Replay.Result r = Replay.run(table, range, producer, topic);
                out.printf(
                        "replayed %,d events %s from %s into %s: %,d rows read, %.1f s, %,.0f events/s%n",
                        r.published(),
                        range,
                        table.name(),
                        topic,
                        r.rowsRead(),
                        r.elapsed().toNanos() / 1e9,
                        r.eventsPerSecond());
                return OK;
            } finally {
                if (catalog instanceof Closeable c) {
                    c.close();
                }
            }
        } catch (UsageException e) {
            err.println("replay: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return USAGE;
        } catch (ConfigLoader.InvalidConfigException | IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return USAGE;
        } catch (NoSuchTableException e) {
            err.println("replay: no such table: " + e.getMessage());
            return UNREADABLE;
        } catch (Replay.ReplayFailedException e) {
            err.println("replay: " + e.getMessage() + ": " + e.getCause());
            return FAILED;
        } catch (IOException e) {
            err.println("replay: " + e.getMessage());
            return FAILED;
        }
    }

    /** The producer the command publishes with: idempotent, acks=all, CloudEvents binary mode; {@code kafka.client.*} producer settings applied. */
    public static Producer<String, CanonicalEvent> producer(String bootstrap, Map<String, Object> clientOverrides) {
        Map<String, Object> config = new HashMap<>();
        clientOverrides.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "quintet-replay");
        return new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerde().serializer());
    }

    static Instant time(String text, String option) {
        try {
            return text.contains("T")
                    ? Instant.parse(text)
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + option + " '" + text + "' is neither a date (2026-11-01) nor a UTC time"
                    + " (2026-11-01T09:30:00Z)");
        }
    }

    private static ActionPattern pattern(String text) {
        try {
            return ActionPattern.parse(text);
        } catch (InvalidActionNameException e) {
            throw new UsageException("--action: " + e.getMessage());
        }
    }
}
