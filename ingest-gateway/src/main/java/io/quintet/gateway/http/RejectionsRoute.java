package io.quintet.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.ingest.RequestMeta;
import io.quintet.gateway.rejections.RecentRejection;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/sources/{source}/rejections}: the source's recent dead letters (events the gateway accepted and
 * the enricher then refused), newest first: reason, cause, JSON pointers, event id, time; nothing of the event's
 * content. Only for a write key that may publish events of that source (403 otherwise). A source with slashes is
 * given URL-encoded ({@code https%3A%2F%2Fshop.example.com}).
 */
final class RejectionsRoute extends IngestRoute {
    static final String PATH = "/v1/sources/:source/rejections";

    RejectionsRoute(GatewayServices services) {
        super(services, "/v1/sources/{source}/rejections");
    }

    @Override
    protected CompletableFuture<HttpReply> process(RoutingContext rc, RequestMeta meta) {
        WriteKey key = authenticate(rc);
        String source = rc.pathParam("source");
        if (source == null || source.isEmpty() || !key.allows(source)) {
            throw new GatewayException(
                    ErrorCode.FORBIDDEN_SOURCE,
                    "write key '" + key.id() + "' may not read the rejections of that source");
        }
        if (services.rejections() == null) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "the rejection feed is off (rejections.enabled=false)");
        }
        List<RecentRejection> recent = services.rejections().recent(source);
        ObjectNode body = HttpReply.NODES.objectNode();
        body.put("source", source);
        body.put("retained_per_source", services.rejections().perSource());
        ArrayNode out = body.putArray("rejections");
        for (RecentRejection r : recent) {
            ObjectNode o = out.addObject();
            if (r.eventId() != null) {
                o.put("event_id", r.eventId());
            }
            o.put("reason", r.reason());
            if (r.cause() != null) {
                o.put("cause", r.cause());
            }
            ArrayNode pointers = o.putArray("pointers");
            r.pointers().forEach(pointers::add);
            o.put("dead_lettered_at", r.deadLetteredAt().toString());
        }
        return CompletableFuture.completedFuture(HttpReply.of(200, body));
    }
}
