package io.quintet.gateway.backfill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.EdgeValidator;
import io.quintet.gateway.ingest.Limits;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.limits.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The backfill of one import run: every candidate is completed (an id when it has none, derived from its content so
 * a re-import gives the same id; {@code observed_timestamp}; {@code spec_version}), marked
 * ({@code context.attributes."quintet.backfill"} = the run's id), checked like the gateway checks (the limits shared
 * with the enricher included) but without the gateway's age limit, deduplicated on ({@code source}, {@code id})
 * within the run, and published to {@code events.raw} (the enricher then deduplicates against what it has seen in its
 * window). Counts everything. Not thread-safe: one caller feeds it; Kafka's callbacks only touch atomic counters.
 */
final class Backfill {
    static final String MARKER = "quintet.backfill";
    /** History is imported: events up to this old are accepted (the gateway's limit is 7 days). */
    static final Duration MAX_AGE = Duration.ofDays(365L * 50);

    private static final WriteKey ANY_SOURCE = new WriteKey("import", new byte[32], List.of("*"), false);

    private final String runId;
    private final EdgeValidator validator;
    private final Function<CanonicalEvent, CompletableFuture<?>> publish;
    private final Clock clock;
    private final Semaphore inFlight;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> rejectedByCode = new TreeMap<>();
    final AtomicLong read = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    long duplicates;
    long rejected;

    /**
     * @param publish    sends one event to {@code events.raw}; the future completes when Kafka acknowledged it
     * @param maxPending most events sent and not yet acknowledged
     */
    Backfill(
            String runId,
            EventLimits limits,
            Function<CanonicalEvent, CompletableFuture<?>> publish,
            Clock clock,
            int maxPending) {
        this.runId = runId;
        Limits l = Limits.defaults();
        this.validator = new EdgeValidator(
                new Limits(
                        limits,
                        l.maxPropertiesPerObject(),
                        l.maxDepth(),
                        l.maxBatchEvents(),
                        l.maxBodyBytes(),
                        l.futureTolerance(),
                        MAX_AGE),
                null);
        this.publish = publish;
        this.clock = clock;
        this.inFlight = new Semaphore(maxPending);
    }

    void accept(Candidate c) {
        read.incrementAndGet();
        if (c instanceof Candidate.Rejected r) {
            reject(r.rejection().code().code());
            return;
        }
        ObjectNode tree = ((Candidate.Event) c).tree();
        Instant now = clock.instant();
        complete(tree, now);
        EdgeValidator.Result result = validator.validate(tree, ANY_SOURCE, now);
        if (result instanceof EdgeValidator.Invalid invalid) {
            reject(invalid.rejection().code().code());
            return;
        }
        CanonicalEvent event = ((EdgeValidator.Valid) result).event();
        if (!seen.add(event.source() + "\n" + event.id())) {
            duplicates++;
            return;
        }
        inFlight.acquireUninterruptibly();
        publish.apply(event).whenComplete((ok, error) -> {
            inFlight.release();
            (error == null ? published : failed).incrementAndGet();
        });
    }

    /** Waits until Kafka has answered for every event sent. */
    void awaitPending(int maxPending) {
        inFlight.acquireUninterruptibly(maxPending);
        inFlight.release(maxPending);
    }

    Map<String, Long> rejectedByCode() {
        return Map.copyOf(rejectedByCode);
    }

    private void reject(String code) {
        rejected++;
        rejectedByCode.merge(code, 1L, Long::sum);
    }

    private void complete(ObjectNode tree, Instant now) {
        if (!tree.path("id").isTextual() || tree.get("id").asText().isEmpty()) {
            // the same content gives the same id, so importing a file twice stores its events once
            byte[] content = tree.toString().getBytes(StandardCharsets.UTF_8);
            tree.put("id", UUID.nameUUIDFromBytes(content).toString());
        }
        tree.put("observed_timestamp", now.toString());
        if (!tree.hasNonNull("spec_version")) {
            tree.put("spec_version", CanonicalEvent.SPEC_VERSION);
        }
        ObjectNode context = tree.path("context") instanceof ObjectNode o ? o : tree.putObject("context");
        ObjectNode attributes =
                context.path("attributes") instanceof ObjectNode a ? a : context.putObject("attributes");
        attributes.put(MARKER, runId);
    }
}
