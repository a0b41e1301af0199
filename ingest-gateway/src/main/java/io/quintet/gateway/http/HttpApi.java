package io.quintet.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.gateway.ingest.ErrorCode;
import io.quintet.gateway.ingest.GatewayException;
import io.quintet.gateway.segment.SegmentTranslator.CallType;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's routes:
 * <pre>
 *   POST /v1/events                          canonical events, NDJSON, CloudEvents (structured, binary, batch)
 *   POST /v1/track|identify|page|screen|group|alias|batch   Segment-compatible
 *   POST /v1/subjects/{subjectId}/erasure    erasure request
 *   GET  /v1/sources/{source}/rejections     the source's recent dead letters (no event content)
 *   GET  /healthz                            liveness
 *   GET  /readyz                             readiness: 200 only while Kafka is reachable and not shutting down
 *   GET  /metrics                            Prometheus text exposition (when enabled)
 * </pre>
 * Bodies over the configured size are refused with 413 before they are read in full.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private final GatewayServices services;

    public HttpApi(GatewayServices services) {
        this.services = services;
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(rc -> IngestRoute.write(rc, HttpReply.of(200, json().put("status", "up"))));
        router.get("/readyz").handler(this::ready);
        if (services.metrics() != null) {
            router.get("/metrics")
                    .handler(rc -> rc.response()
                            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                            .end(services.metrics().get()));
        }
        BodyHandler body =
                BodyHandler.create(false).setBodyLimit(services.limits().maxBodyBytes());
        router.post(EventsRoute.PATH).handler(body).handler(new EventsRoute(services));
        for (CallType type : CallType.values()) {
            router.post("/v1/" + type.wireName()).handler(body).handler(new SegmentRoute(services, type));
        }
        router.post("/v1/batch").handler(body).handler(new SegmentRoute(services, null));
        router.post(ErasureRoute.PATH)
                .handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
                .handler(new ErasureRoute(services));
        router.get(RejectionsRoute.PATH).handler(new RejectionsRoute(services));
        router.route().failureHandler(this::failure);
        router.errorHandler(
                404,
                rc -> IngestRoute.write(
                        rc,
                        HttpReply.error(new GatewayException(
                                ErrorCode.NOT_FOUND,
                                "no such endpoint: " + rc.request().path()))));
        router.errorHandler(
                405,
                rc -> IngestRoute.write(
                        rc,
                        HttpReply.error(new GatewayException(
                                ErrorCode.METHOD_NOT_ALLOWED,
                                rc.request().method() + " is not allowed on "
                                        + rc.request().path()))));
        return router;
    }

    private void ready(RoutingContext rc) {
        Readiness r = services.readiness();
        if (services.tracker().draining()) {
            IngestRoute.write(
                    rc, HttpReply.of(503, json().put("status", "not_ready").put("reason", "shutting down")));
        } else if (!r.kafkaAvailable()) {
            IngestRoute.write(
                    rc, HttpReply.of(503, json().put("status", "not_ready").put("reason", r.detail())));
        } else {
            IngestRoute.write(
                    rc, HttpReply.of(200, json().put("status", "ready").put("kafka", r.detail())));
        }
    }

    /** Failures raised by Vert.x itself (body too large, ...) get the same JSON error shape. */
    private void failure(RoutingContext rc) {
        ErrorCode code = switch (rc.statusCode()) {
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 400 -> ErrorCode.MALFORMED_JSON;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> ErrorCode.INTERNAL;
        };
        String message = code == ErrorCode.BODY_TOO_LARGE
                ? "request body exceeds " + services.limits().maxBodyBytes() + " bytes; split it into smaller batches"
                : code == ErrorCode.INTERNAL ? "internal error" : "request refused: " + code.code();
        if (code == ErrorCode.INTERNAL) {
            LOG.error("request to {} failed", routeOf(rc), rc.failure());
        }
        services.telemetry().recordRequestRejected(routeOf(rc), code, 1);
        IngestRoute.write(rc, HttpReply.error(new GatewayException(code, message)));
    }

    /** The route pattern (never the concrete path: it may hold a subject id). */
    private static String routeOf(RoutingContext rc) {
        return rc.currentRoute() != null && rc.currentRoute().getPath() != null
                ? rc.currentRoute().getPath()
                : "unmatched";
    }

    private static ObjectNode json() {
        return HttpReply.NODES.objectNode();
    }
}
