package io.quintet.enricher.dlq;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Command line for {@link DlqReplay}:
 * <pre>
 *   java -cp ... io.quintet.enricher.dlq.DlqReplayTool --bootstrap HOST:PORT [--prefix P]
 *        [--reason schema_violation,tracking_plan_violation] [--cause C,...] [--event-id ID,...]
 *        [--partition N] [--from-offset A] [--to-offset B] [--since 2026-11-02T00:00:00Z] [--until ...]
 *        [--dry-run]
 * </pre>
 * Prints what it selected (coordinates, reason, event id; never content) and the totals. Exit 0 on success.
 */
public final class DlqReplayTool {
    private DlqReplayTool() {}

    /** Parsed command line. */
    record Options(String bootstrap, String prefix, DlqSelection selection, boolean dryRun) {}

    @Command(name = "DlqReplayTool", description = "Re-publishes selected dead letters of events.dlq to events.raw.")
    static final class Line implements Callable<Integer> {
        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka")
        String bootstrap;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "topic prefix (default none)")
        String prefix;

        @Option(
                names = "--reason",
                paramLabel = "R,...",
                description = "only these reasons (codes, e.g. schema_violation)")
        String reasons;

        @Option(names = "--cause", paramLabel = "C,...", description = "only these causes")
        String causes;

        @Option(names = "--event-id", paramLabel = "ID,...", description = "only these event ids")
        String eventIds;

        @Option(names = "--partition", paramLabel = "N", defaultValue = "-1", description = "only this partition")
        int partition;

        @Option(names = "--from-offset", paramLabel = "A", defaultValue = "-1", description = "from this offset")
        long fromOffset;

        @Option(names = "--to-offset", paramLabel = "B", defaultValue = "-1", description = "to this offset")
        long toOffset;

        @Option(
                names = "--since",
                paramLabel = "T",
                description = "dead-lettered at or after (e.g. 2026-11-02T00:00:00Z)")
        Instant since;

        @Option(names = "--until", paramLabel = "T", description = "dead-lettered before")
        Instant until;

        @Option(names = "--dry-run", description = "select and print, publish nothing")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        Options options() {
            DlqSelection s = new DlqSelection(
                    list(reasons).stream().map(DlqReason::fromCode).collect(Collectors.toSet()),
                    list(causes),
                    list(eventIds),
                    partition,
                    fromOffset,
                    toOffset,
                    since,
                    until);
            return new Options(bootstrap, prefix, s, dryRun);
        }

        @Override
        public Integer call() throws Exception {
            Options o;
            try {
                o = options();
            } catch (IllegalArgumentException e) { // an unknown reason code
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            run(o);
            return 0;
        }
    }

    static Options parse(String[] args) {
        Line line = new Line();
        new CommandLine(line).parseArgs(args);
        return line.options();
    }

    private static Set<String> list(String v) {
        return v == null
                ? Set.of()
                : Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(x -> !x.isEmpty())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static void main(String[] args) {
        Cli.main(new Line(), args);
    }

    static void run(Options o) throws Exception {
        TopicCatalogue topics = TopicCatalogue.of(o.prefix(), 1, (short) 1);
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                o.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                o.bootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            DlqReplay.Report r = DlqReplay.run(
                    consumer,
                    producer,
                    topics.name(TopicCatalogue.EVENTS_DLQ),
                    topics.name(TopicCatalogue.EVENTS_RAW),
                    o.selection(),
                    o.dryRun());
            System.out.printf(
                    "scanned %d dead letters, selected %d, published %d%s, skipped %d%n",
                    r.scanned(), r.selected(), r.published(), o.dryRun() ? " (dry run)" : "", r.skipped());
        }
    }
}
