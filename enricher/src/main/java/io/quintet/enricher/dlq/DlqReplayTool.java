package io.quintet.enricher.dlq;

import io.quintet.model.cli.Usage;
import io.quintet.model.topics.TopicCatalogue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
    private DlqReplayTool() {
    }

    /** Parsed command line. */
    record Options(String bootstrap, String prefix, DlqSelection selection, boolean dryRun) {
    }

    static Options parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dry-run")) {
                dryRun = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        String bootstrap = opts.remove("bootstrap");
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap is required");
        }
        String prefix = opts.getOrDefault("prefix", "");
        opts.remove("prefix");
        DlqSelection s = new DlqSelection(
                list(opts.remove("reason")).stream().map(DlqReason::fromCode).collect(Collectors.toSet()),
                list(opts.remove("cause")), list(opts.remove("event-id")),
                Integer.parseInt(opts.getOrDefault("partition", "-1")),
                Long.parseLong(opts.getOrDefault("from-offset", "-1")), Long.parseLong(opts.getOrDefault("to-offset", "-1")),
                opts.containsKey("since") ? Instant.parse(opts.get("since")) : null,
                opts.containsKey("until") ? Instant.parse(opts.get("until")) : null);
        opts.keySet().removeAll(Set.of("partition", "from-offset", "to-offset", "since", "until"));
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + opts.keySet());
        }
        return new Options(bootstrap, prefix, s, dryRun);
    }

    private static Set<String> list(String v) {
        return v == null ? Set.of() : Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static final String USAGE = "usage: DlqReplayTool --bootstrap HOST:PORT [--prefix P] [--reason R,...] [--cause C,...] "
            + "[--event-id ID,...] [--partition N] [--from-offset A] [--to-offset B] [--since T] [--until T] [--dry-run]";

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, USAGE)) {
            return;
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        TopicCatalogue topics = TopicCatalogue.of(o.prefix(), 1, (short) 1);
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            DlqReplay.Report r = DlqReplay.run(consumer, producer, topics.name(TopicCatalogue.EVENTS_DLQ),
                    topics.name(TopicCatalogue.EVENTS_RAW), o.selection(), o.dryRun());
            System.out.printf("scanned %d dead letters, selected %d, published %d%s, skipped %d%n", r.scanned(), r.selected(),
                    r.published(), o.dryRun() ? " (dry run)" : "", r.skipped());
        }
    }
}
