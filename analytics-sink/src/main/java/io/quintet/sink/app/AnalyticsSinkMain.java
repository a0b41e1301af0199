package io.quintet.sink.app;

import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.support.cli.Cli;
import io.quintet.support.health.HealthServer;
import io.quintet.support.metrics.PrometheusMetrics;
import io.quintet.support.metrics.PrometheusText;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one analytics sink instance until SIGTERM / Ctrl-C. Usage:
 * {@code java io.quintet.sink.app.AnalyticsSinkMain [config.properties]}; {@code QUINTET_SINK_*} environment variables
 * override the file (see config/analytics-sink.properties.sample).
 */
public final class AnalyticsSinkMain {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSinkMain.class);

    private AnalyticsSinkMain() {}

    /**
     * GET /metrics on the health port (Prometheus text): the batch metrics ({@link SinkTelemetry}, OpenTelemetry),
     * the sink's counters and its Kafka consumer's metrics (lag, fetch, commit).
     */
    static String metrics(AnalyticsSink sink, PrometheusMetrics own) {
        SinkStats.Snapshot s = sink.stats().snapshot();
        return own.scrape()
                + new PrometheusText()
                        .counter("quintet_sink_records_read_total", "records consumed from Kafka", s.recordsRead())
                        .family(
                                "quintet_sink_records_skipped_total",
                                "counter",
                                "records skipped, by reason",
                                List.of(
                                        new PrometheusText.Sample(
                                                Map.of("reason", "undecodable"), s.skippedUndecodable()),
                                        new PrometheusText.Sample(
                                                Map.of("reason", "incomplete"), s.skippedIncomplete())))
                        .counter(
                                "quintet_sink_rows_committed_total",
                                "rows in committed Iceberg snapshots",
                                s.rowsCommitted())
                        .counter(
                                "quintet_sink_batches_committed_total", "micro-batches committed", s.batchesCommitted())
                        .counter(
                                "quintet_sink_batches_fenced_total",
                                "micro-batches dropped: another instance took their partitions",
                                s.batchesFenced())
                        .counter(
                                "quintet_sink_files_committed_total",
                                "Parquet data files committed",
                                s.filesCommitted())
                        .counter(
                                "quintet_sink_file_bytes_committed_total",
                                "bytes of committed Parquet files",
                                s.fileBytesCommitted())
                        .counter(
                                "quintet_sink_commit_retries_total",
                                "commit attempts lost to concurrent commits",
                                s.commitRetries())
                        .gauge(
                                "quintet_sink_owned_partitions",
                                "partitions this instance owns",
                                sink.ownedPartitions().size())
                        .kafka(sink.kafkaMetrics())
                        .toString();
    }

    public static void main(String[] args) {
        Cli.configFileMain(
                "AnalyticsSinkMain",
                "Runs the analytics sink (sample configuration: analytics-sink/config/analytics-sink.properties.sample).",
                Cli.settings(SinkConfig.definition(), SinkConfig.ENV_PREFIX),
                args,
                AnalyticsSinkMain::run);
    }

    static void run(Path configFile) throws IOException, InterruptedException {
        SinkConfig config = SinkConfig.loadOrExit(configFile);
        LOG.info("starting with {}", config);
        Catalog catalog = CatalogFactory.create(config);
        PrometheusMetrics prometheus = new PrometheusMetrics();
        SinkTelemetry telemetry = new SinkTelemetry(prometheus.openTelemetry(), Clock.systemUTC());
        AnalyticsSink sink = new AnalyticsSink(config, catalog, telemetry);
        HealthServer health = config.healthPort() < 0
                ? null
                : HealthServer.start(
                        "0.0.0.0",
                        config.healthPort(),
                        () -> HealthServer.Status.up("running"),
                        () -> sink.ownedPartitions().isEmpty()
                                ? HealthServer.Status.down("no partitions assigned yet")
                                : HealthServer.Status.up(sink.ownedPartitions().size() + " partition(s)"),
                        () -> metrics(sink, prometheus));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sink.stop();
                            try {
                                if (!done.await(60, TimeUnit.SECONDS)) {
                                    LOG.warn(
                                            "sink did not stop within 60 s; uncommitted records will be read again on restart");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "sink-shutdown"));
        try {
            sink.run();
        } finally {
            if (health != null) {
                health.close();
            }
            telemetry.close();
            prometheus.close();
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
            done.countDown();
            LOG.info("stopped: {}", sink.stats().snapshot());
        }
    }
}
