package io.quintet.gateway.ingest;

import io.quintet.gateway.auth.WriteKey;
import io.quintet.model.CanonicalEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The framework-free core of the gateway: for every decoded item, complete it with what the gateway knows, validate
 * it at the edge, publish the valid ones, and collect one result per item. The returned future completes when Kafka
 * has answered for every published item; an item counts as accepted only once Kafka acknowledged it. An invalid
 * item never stops its valid neighbours.
 */
public final class IngestPipeline {
    private final EventCompleter completer;
    private final EdgeValidator validator;
    private final EventSink sink;

    public IngestPipeline(EventCompleter completer, EdgeValidator validator, EventSink sink) {
        this.completer = completer;
        this.validator = validator;
        this.sink = sink;
    }

    public CompletableFuture<BatchOutcome> ingest(List<Candidate> candidates, WriteKey key, RequestMeta meta) {
        ItemResult[] results = new ItemResult[candidates.size()];
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            int slot = i;
            if (c instanceof Candidate.Rejected r) {
                results[slot] = ItemResult.rejected(r.index(), r.idHint(), r.rejection());
                continue;
            }
            Candidate.Event e = (Candidate.Event) c;
            completer.complete(e.tree(), meta);
            String id = e.idHint();
            EdgeValidator.Result result = validator.validate(e.tree(), key, meta.receivedAt());
            if (result instanceof EdgeValidator.Invalid invalid) {
                results[slot] = ItemResult.rejected(e.index(), id, invalid.rejection());
                continue;
            }
            CanonicalEvent event = ((EdgeValidator.Valid) result).event();
            pending.add(sink.send(e.destination(), keyOf(e.destination(), event), event)
                    .handle((ok, error) -> {
                        results[slot] = error == null
                                ? ItemResult.accepted(e.index(), id)
                                : ItemResult.rejected(e.index(), id, rejectionOf(error));
                        return null;
                    }));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(v -> new BatchOutcome(Arrays.asList(results)));
    }

    /** events.raw and profiles are keyed by actor id, erasure.requests by the subject (entity) id. */
    static String keyOf(Destination destination, CanonicalEvent event) {
        return destination == Destination.ERASURE
                ? event.entity().id()
                : event.actor().id();
    }

    private static Rejection rejectionOf(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof GatewayException g) {
            return g.rejection();
        }
        return Rejection.of(ErrorCode.INTERNAL, "the event could not be published");
    }
}
