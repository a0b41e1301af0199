package io.quintet.gateway.ingest;

import io.quintet.model.CanonicalEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted events go. The future completes only when the event is durably acknowledged, or fails with a
 * {@link GatewayException} whose code says why (never by message text).
 */
public interface EventSink {

    /** Publishes without blocking the caller; keyed by {@code key}. */
    CompletableFuture<Void> send(Destination destination, String key, CanonicalEvent event);
}
