package io.quintet.gateway.backfill;

import io.quintet.gateway.segment.SegmentSettings;
import io.quintet.gateway.segment.SegmentTranslator;
import io.quintet.model.limits.EventLimits;
import io.quintet.model.publish.EventPublisher;
import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.cli.Cli;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./quintet import FILE...}: backfills history straight to {@code events.raw} (past the gateway's 7-day age
 * limit), marked, checked, deduplicated, with progress and a final count. See docs/ingest-gateway.md, "Backfill".
 */
public final class ImportMain {
    private ImportMain() {}

    public static void main(String[] args) {
        Cli.main(Cli.method(ImportMain.class, "importFiles"), args);
    }

    @Command(
            name = "./quintet import",
            description = {
                "Backfills events to events.raw: NDJSON (canonical events or structured CloudEvents, one per line), a JSON",
                "array of either, or a Segment/RudderStack batch file ({\"batch\": [...]}; its messages get the source",
                "--segment-source). No age limit; the limits shared with the enricher apply. Every event is marked",
                "context.attributes.\"quintet.backfill\" = the run id, deduplicated on (source, id) (an event without id",
                "gets one derived from its content), and published with acks=all. Prints progress and a final count."
            })
    static int importFiles(
            @Option(
                            names = "--bootstrap",
                            paramLabel = "HOST:PORT",
                            defaultValue = "127.0.0.1:9092",
                            description = "Kafka (default 127.0.0.1:9092, the broker of ./quintet run/broker)")
                    String bootstrap,
            @Option(
                            names = "--prefix",
                            paramLabel = "P",
                            defaultValue = "",
                            description = "topic prefix (default none)")
                    String prefix,
            @Option(
                            names = "--segment-source",
                            paramLabel = "SOURCE",
                            description = "the source of a Segment/RudderStack batch file's messages")
                    String segmentSource,
            @Option(
                            names = "--run-id",
                            paramLabel = "ID",
                            description = "the marker's value (default import-<start time>)")
                    String runId,
            @Parameters(arity = "1..*", paramLabel = "FILE") List<Path> files)
            throws Exception {
        if (runId == null) {
            runId = "import-" + Instant.now();
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                System.err.println("cannot read " + f);
                return 2;
            }
        }
        String topic = TopicCatalogue.of(prefix, 6, (short) 1).name(TopicCatalogue.EVENTS_RAW);
        Summary s = run(bootstrap, topic, segmentSource, runId, files, System.err);
        System.out.println(s.line());
        return s.failed() > 0 ? 1 : 0;
    }

    /** The outcome of an import run. */
    public record Summary(
            String runId,
            long read,
            long published,
            long duplicates,
            long rejected,
            long failed,
            java.util.Map<String, Long> rejectedByCode,
            Duration elapsed) {
        public double eventsPerSecond() {
            return published / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        public String line() {
            return String.format(
                    Locale.ROOT,
                    "import %s: %d read, %d published, %d duplicates skipped, %d rejected %s,"
                            + " %d failed; %.1f s, %.0f events/s",
                    runId,
                    read,
                    published,
                    duplicates,
                    rejected,
                    rejectedByCode,
                    failed,
                    elapsed.toNanos() / 1e9,
                    eventsPerSecond());
        }
    }

    /** Imports the files to {@code topic}; progress lines to {@code progress}. */
    public static Summary run(
            String bootstrap, String topic, String segmentSource, String runId, List<Path> files, PrintStream progress)
            throws Exception {
        int maxPending = 10_000;
        long start = System.nanoTime();
        try (EventPublisher publisher =
                EventPublisher.builder(bootstrap).topic(topic).build()) {
            Backfill backfill =
                    new Backfill(runId, EventLimits.DEFAULTS, publisher::publish, Clock.systemUTC(), maxPending);
            BackfillFiles reader = new BackfillFiles(new SegmentTranslator(SegmentSettings.defaults()), segmentSource);
            long[] lastReport = {System.nanoTime()};
            for (Path file : files) {
                reader.read(file, c -> {
                    backfill.accept(c);
                    if (System.nanoTime() - lastReport[0] > 2_000_000_000L) {
                        lastReport[0] = System.nanoTime();
                        progress.printf(
                                Locale.ROOT,
                                "  %s: %d read, %d published, %d duplicates, %d rejected, %.0f events/s%n",
                                file.getFileName(),
                                backfill.read.get(),
                                backfill.published.get(),
                                backfill.duplicates,
                                backfill.rejected,
                                backfill.published.get() / ((System.nanoTime() - start) / 1e9));
                    }
                });
                progress.printf(Locale.ROOT, "  %s read (%d items so far)%n", file, backfill.read.get());
            }
            backfill.awaitPending(maxPending);
            publisher.flush();
            return new Summary(
                    runId,
                    backfill.read.get(),
                    backfill.published.get(),
                    backfill.duplicates,
                    backfill.rejected,
                    backfill.failed.get(),
                    backfill.rejectedByCode(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
