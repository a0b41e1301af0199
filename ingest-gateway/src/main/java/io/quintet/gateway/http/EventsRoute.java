package io.quintet.gateway.http;

import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.ingest.Candidate;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.RequestMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/events}: canonical events ({@code application/json}: one object or an array;
 * {@code application/x-ndjson}) and the CloudEvents HTTP binding (structured {@code application/cloudevents+json},
 * batch {@code application/cloudevents-batch+json}, binary mode with {@code ce-*} headers). 202 when every event
 * was acknowledged by Kafka, 207 when some were rejected, otherwise the status of the rejections.
 */
final class EventsRoute extends IngestRoute {
    static final String PATH = "/v1/events";
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String CE_STRUCTURED = "application/cloudevents+json";
    static final String CE_BATCH = "application/cloudevents-batch+json";

    EventsRoute(GatewayServices services) {
        super(services, PATH);
    }

    @Override
    protected CompletableFuture<HttpReply> process(RoutingContext rc, RequestMeta meta) {
        WriteKey key = authenticate(rc);
        requireKafka();
        Buffer body = rc.body().buffer() == null ? Buffer.buffer() : rc.body().buffer();
        String mediaType = mediaType(rc.request().getHeader("Content-Type"));
        boolean binaryMode = rc.request().getHeader("ce-specversion") != null;
        return offloadIfLarge(rc, body.length(), () -> {
            List<Candidate> candidates = decode(rc, body, mediaType, binaryMode);
            return ingest(rc, candidates, key, meta, 202, 207);
        });
    }

    private List<Candidate> decode(RoutingContext rc, Buffer body, String mediaType, boolean binaryMode) {
        if (CE_STRUCTURED.equals(mediaType) || (binaryMode && !CE_BATCH.equals(mediaType))) {
            return services.cloudEventsDecoder().single(rc.request().headers(), body);
        }
        if (CE_BATCH.equals(mediaType)) {
            return services.cloudEventsDecoder().batch(body.getBytes());
        }
        if (JSON.equals(mediaType)) {
            return services.canonicalDecoder().decodeJson(body.getBytes());
        }
        if (NDJSON.equals(mediaType)) {
            return services.canonicalDecoder().decodeNdjson(body.getBytes());
        }
        throw new GatewayException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type '" + mediaType + "' is not read here; "
                        + "send " + JSON + " (an event or an array), " + NDJSON + ", " + CE_STRUCTURED + ", " + CE_BATCH
                        + ", or a binary-mode CloudEvent (ce-* headers)");
    }

    /** The media type without parameters, lower case; empty when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }
}
