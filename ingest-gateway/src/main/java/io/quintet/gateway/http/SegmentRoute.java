package io.quintet.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.ingest.BatchOutcome;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.RequestMeta;
import io.quintet.gateway.segment.SegmentTranslator;
import io.quintet.gateway.segment.SegmentTranslator.CallType;
import io.quintet.gateway.segment.SegmentTranslator.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Segment HTTP Tracking API compatibility: {@code POST /v1/track|identify|page|screen|group|alias} (one call) and
 * {@code /v1/batch} ({@code {"batch":[...]}}). The write key comes as HTTP Basic user name (Segment's libraries) or
 * as {@code writeKey} in the body, and decides the canonical {@code source}. Answers 200 with {@code "success":true}
 * once Kafka acknowledged every event, as Segment's clients expect (a batch with some rejected items is also 200, its
 * body lists them: resending it would not make them valid).
 */
final class SegmentRoute extends IngestRoute {
    private final CallType type; // null for /v1/batch

    SegmentRoute(GatewayServices services, CallType type) {
        super(services, "/v1/" + (type == null ? "batch" : type.wireName()));
        this.type = type;
    }

    @Override
    protected CompletableFuture<HttpReply> process(RoutingContext rc, RequestMeta meta) {
        Buffer buffer = rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
        String headerKey = WriteKeyAuthenticator.fromAuthorizationHeader(
                        rc.request().getHeader("Authorization"))
                .orElse(null);
        WriteKey headerAuthenticated =
                headerKey == null ? null : authenticate(headerKey); // 401 before reading the body
        return offloadIfLarge(rc, buffer.length(), () -> {
            JsonNode body = services.canonicalDecoder().parseBody(buffer.getBytes());
            if (!body.isObject()) {
                throw new GatewayException(ErrorCode.MALFORMED_JSON, "a Segment call must be a JSON object");
            }
            WriteKey key = headerAuthenticated != null
                    ? headerAuthenticated
                    : authenticate(
                            body.path("writeKey").isTextual()
                                    ? body.get("writeKey").asText()
                                    : null);
            String source = key.primarySource()
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.FORBIDDEN,
                            "write key '" + key.id()
                                    + "' has no concrete source (only wildcards) to stamp on Segment calls"));
            requireKafka();
            return ingest(rc, translate(body, source, meta), key, meta, 200, 200);
        });
    }

    private List<Candidate> translate(JsonNode body, String source, RequestMeta meta) {
        SegmentTranslator translator = services.segment();
        if (type != null) {
            return List.of(translator.translate(0, body, type, Envelope.none(), source, meta.receivedAt()));
        }
        JsonNode batch = body.get("batch");
        if (batch == null || !batch.isArray()) {
            throw new GatewayException(ErrorCode.INVALID_EVENT, "a Segment batch needs a 'batch' array");
        }
        if (batch.isEmpty()) {
            throw new GatewayException(ErrorCode.INVALID_EVENT, "the Segment batch is empty");
        }
        if (batch.size() > services.limits().maxBatchEvents()) {
            throw new GatewayException(
                    ErrorCode.BATCH_TOO_LARGE,
                    "the batch holds " + batch.size() + " messages; the limit is "
                            + services.limits().maxBatchEvents());
        }
        Envelope envelope = new Envelope(body.get("context"), body.get("sentAt"));
        List<Candidate> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(translator.translate(i, batch.get(i), null, envelope, source, meta.receivedAt()));
        }
        return out;
    }

    @Override
    protected HttpReply shape(BatchOutcome outcome, HttpReply reply) {
        reply.body().put("success", reply.status() == 200 && outcome.acceptedCount() > 0);
        return reply;
    }
}
