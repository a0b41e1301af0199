package io.quintet.gateway.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.ingest.BatchOutcome;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.RequestMeta;
import io.quintet.gateway.telemetry.GatewayTelemetry;
import io.quintet.model.otel.TraceParent;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every ingesting endpoint does around its own decoding: refuse new work while draining, open the request span,
 * work out the request's metadata (client address, user agent, trace context), authenticate, check Kafka and the
 * rate limit, then answer on the request's event loop once Kafka has answered, and record metrics.
 * Typed {@link GatewayException}s become their status; anything else is a logged 500.
 */
abstract class IngestRoute implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRoute.class);
    /** Bodies larger than this are decoded and validated on a worker thread, not on the event loop. */
    static final int OFFLOAD_BYTES = 32 * 1024;

    private static final String SPAN = "quintet.request.span";

    protected final GatewayServices services;
    private final String endpoint;

    IngestRoute(GatewayServices services, String endpoint) {
        this.services = services;
        this.endpoint = endpoint;
    }

    /** Decodes, validates and publishes; the future holds the reply once Kafka has answered. */
    protected abstract CompletableFuture<HttpReply> process(RoutingContext rc, RequestMeta meta);

    @Override
    public final void handle(RoutingContext rc) {
        long start = System.nanoTime();
        if (!services.tracker().enter()) {
            write(rc, HttpReply.error(new GatewayException(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down")));
            return;
        }
        Span span = services.telemetry().startRequestSpan(endpoint, rc.request()::getHeader);
        rc.put(SPAN, span);
        Context context = rc.vertx().getOrCreateContext();
        CompletableFuture<HttpReply> reply;
        try {
            reply = process(rc, meta(rc, span));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, error) -> {
            HttpReply out = error == null ? r : failure(error);
            context.runOnContext(v -> {
                try {
                    write(rc, out);
                } finally {
                    GatewayTelemetry.end(span, out.status());
                    services.telemetry().recordDuration(endpoint, out.status(), System.nanoTime() - start);
                    services.tracker().exit();
                }
            });
        });
    }

    /** Runs {@code work} on a worker thread when the body is large, so the event loop keeps serving. */
    protected CompletableFuture<HttpReply> offloadIfLarge(
            RoutingContext rc, int bodyBytes, Supplier<CompletableFuture<HttpReply>> work) {
        if (bodyBytes <= OFFLOAD_BYTES) {
            return work.get();
        }
        return rc.vertx()
                .<CompletableFuture<HttpReply>>executeBlocking(work::get, false)
                .toCompletionStage()
                .toCompletableFuture()
                .thenCompose(f -> f);
    }

    /** The write key from the Authorization header (Bearer, or Basic with the key as user name). */
    protected WriteKey authenticate(RoutingContext rc) {
        return authenticate(
                WriteKeyAuthenticator.fromAuthorizationHeader(rc.request().getHeader("Authorization"))
                        .orElse(null));
    }

    /** The key for this secret; {@link ErrorCode#UNAUTHENTICATED} when there is none or it is unknown. */
    protected WriteKey authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.UNAUTHENTICATED,
                    "a write key is required: 'Authorization: Bearer <key>' or HTTP Basic with the key as user name");
        }
        return services.authenticator()
                .find(presented)
                .orElseThrow(() -> new GatewayException(ErrorCode.UNAUTHENTICATED, "unknown write key"));
    }

    /** 503 at once while Kafka is known to be unavailable: nothing is buffered that could be lost or duplicated. */
    protected void requireKafka() {
        Readiness r = services.readiness();
        if (!r.kafkaAvailable()) {
            throw GatewayException.retryLater(
                    ErrorCode.UNAVAILABLE,
                    "Kafka is unavailable (" + r.detail() + "); nothing was stored, retry later",
                    r.retryAfterSeconds(),
                    null);
        }
    }

    protected void rateLimit(WriteKey key, int events) {
        long wait = services.rateLimiter().tryAcquire(key.id(), events);
        if (wait > 0) {
            throw GatewayException.retryLater(
                    ErrorCode.RATE_LIMITED,
                    "write key '" + key.id() + "' is over its rate limit; retry after " + wait + " s",
                    wait,
                    null);
        }
    }

    /** Validates and publishes decoded items, counts them, and shapes the reply. */
    protected CompletableFuture<HttpReply> ingest(
            RoutingContext rc,
            List<Candidate> candidates,
            WriteKey key,
            RequestMeta meta,
            int allAccepted,
            int partial) {
        rateLimit(key, candidates.size());
        return publish(rc, candidates, key, meta).thenApply(outcome -> {
            services.telemetry().record(endpoint, key.id(), outcome);
            return shape(outcome, HttpReply.batch(outcome, allAccepted, partial));
        });
    }

    /** Validates and publishes under a PRODUCER span that ends when Kafka has answered for every event. */
    protected CompletableFuture<BatchOutcome> publish(
            RoutingContext rc, List<Candidate> candidates, WriteKey key, RequestMeta meta) {
        Span request = rc.get(SPAN);
        Span publish =
                services.telemetry().startPublishSpan(request == null ? Span.getInvalid() : request, candidates.size());
        return services.pipeline().ingest(candidates, key, meta).whenComplete((outcome, error) -> {
            if (outcome != null) {
                publish.setAttribute("quintet.events.accepted", outcome.acceptedCount());
            }
            GatewayTelemetry.end(publish, error != null || (outcome != null && outcome.unavailable()) ? 503 : 200);
        });
    }

    /** Lets an endpoint add to the batch reply (Segment adds {@code success}). */
    protected HttpReply shape(BatchOutcome outcome, HttpReply reply) {
        return reply;
    }

    private RequestMeta meta(RoutingContext rc, Span span) {
        var remote = rc.request().remoteAddress();
        String ip = services.clientAddresses()
                .resolve(
                        remote == null ? null : remote.hostAddress(),
                        rc.request().getHeader("X-Forwarded-For"));
        SpanContext sc = span.getSpanContext();
        Optional<TraceParent> tp = sc.isValid()
                ? TraceParent.of(sc.getTraceId(), sc.getSpanId())
                : TraceParent.parse(rc.request().getHeader("traceparent"));
        return new RequestMeta(services.clock().instant(), ip, rc.request().getHeader("User-Agent"), tp);
    }

    private HttpReply failure(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        GatewayException g;
        if (t instanceof GatewayException ge) {
            g = ge;
        } else {
            LOG.error("unexpected failure on {}", endpoint, t);
            g = new GatewayException(ErrorCode.INTERNAL, "internal error; nothing from this request was acknowledged");
        }
        services.telemetry().recordRequestRejected(endpoint, g.code(), 1);
        return HttpReply.error(g);
    }

    static void write(RoutingContext rc, HttpReply reply) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        response.putHeader("Content-Type", "application/json");
        response.end(Buffer.buffer(reply.bodyBytes()));
    }
}
