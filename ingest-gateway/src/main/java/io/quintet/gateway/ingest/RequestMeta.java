package io.quintet.gateway.ingest;

import io.quintet.model.otel.TraceParent;
import java.time.Instant;
import java.util.Optional;

/**
 * What the gateway knows about the request an event came in: when it arrived, from which client address (after
 * trusted-proxy resolution), with which user agent, and the W3C trace context to stamp on events that carry none.
 */
public record RequestMeta(Instant receivedAt, String clientIp, String userAgent, Optional<TraceParent> traceParent) {
    public RequestMeta {
        traceParent = traceParent == null ? Optional.empty() : traceParent;
    }
}
