package io.quintet.support.metrics;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A service's metrics for {@code GET /metrics} (the gateway's and the enricher's): an OpenTelemetry SDK meter provider read by the OpenTelemetry Prometheus reader
 * and written in Prometheus text format. Traces go wherever the process's global OpenTelemetry sends them (nowhere
 * unless the deployer installs an SDK or the Java agent); the W3C trace context is propagated either way.
 */
public final class PrometheusMetrics implements AutoCloseable {
    private final PrometheusMetricReader reader = new PrometheusMetricReader(false, null);
    private final SdkMeterProvider meters =
            SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** Metrics from this SDK, traces from the global OpenTelemetry. */
    public OpenTelemetry openTelemetry() {
        return new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return GlobalOpenTelemetry.getTracerProvider();
            }

            @Override
            public MeterProvider getMeterProvider() {
                return meters;
            }

            @Override
            public ContextPropagators getPropagators() {
                return GlobalOpenTelemetry.getPropagators();
            }
        };
    }

    /**
     * Metrics from this SDK, traces from {@code traces} (tests hand in the OpenTelemetry SDK testing extension's
     * provider, whose in-memory exporter holds the spans); no propagation.
     */
    public OpenTelemetry openTelemetry(TracerProvider traces) {
        return new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return traces;
            }

            @Override
            public MeterProvider getMeterProvider() {
                return meters;
            }

            @Override
            public ContextPropagators getPropagators() {
                return ContextPropagators.noop();
            }
        };
    }

    /** The current metrics in Prometheus text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, reader.collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        meters.close();
    }
}
