package io.quintet.gateway.http;

import io.quintet.gateway.auth.RateLimiter;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.ingest.CanonicalBodyDecoder;
import io.quintet.gateway.ingest.IngestPipeline;
import io.quintet.gateway.ingest.Limits;
import io.quintet.gateway.rejections.RejectionLog;
import io.quintet.gateway.segment.SegmentTranslator;
import io.quintet.gateway.telemetry.GatewayTelemetry;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the HTTP routes share. All parts are thread-safe; one instance serves every event loop.
 *
 * @param metrics    Prometheus text exposition for {@code GET /metrics}; null when metrics are not served
 * @param rejections recent dead letters per source for {@code GET /v1/sources/{source}/rejections}; null when off
 */
public record GatewayServices(
        WriteKeyAuthenticator authenticator,
        RateLimiter rateLimiter,
        Readiness readiness,
        IngestPipeline pipeline,
        CanonicalBodyDecoder canonicalDecoder,
        CloudEventsDecoder cloudEventsDecoder,
        SegmentTranslator segment,
        Limits limits,
        ClientAddressResolver clientAddresses,
        RequestTracker tracker,
        GatewayTelemetry telemetry,
        Clock clock,
        Supplier<String> metrics,
        RejectionLog rejections) {}
