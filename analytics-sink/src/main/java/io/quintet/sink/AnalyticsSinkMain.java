package io.quintet.sink;

import io.quintet.model.cli.Usage;
import io.quintet.model.config.ConfigLoader.InvalidConfigException;
import io.quintet.model.health.HealthServer;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one analytics sink instance until SIGTERM / Ctrl-C. Usage:
 * {@code java io.quintet.sink.AnalyticsSinkMain [config.properties]}; {@code QUINTET_SINK_*} environment variables
 * override the file (see config/analytics-sink.properties.sample).
 */
public final class AnalyticsSinkMain {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSinkMain.class);

    private AnalyticsSinkMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (Usage.printIfRequested(args, Usage.service(
                "AnalyticsSinkMain [config.properties]   (sample: analytics-sink/config/analytics-sink.properties.sample)",
                SinkConfig.definition(), SinkConfig.ENV_PREFIX))) {
            return;
        }
        SinkConfig config;
        try {
            config = SinkConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting with {}", config);
        Catalog catalog = CatalogFactory.create(config);
        AnalyticsSink sink = new AnalyticsSink(config, catalog, SinkListener.NONE);
        HealthServer health = config.healthPort() < 0 ? null : HealthServer.start("0.0.0.0", config.healthPort(),
                () -> HealthServer.Status.up("running"),
                () -> sink.ownedPartitions().isEmpty()
                        ? HealthServer.Status.down("no partitions assigned yet")
                        : HealthServer.Status.up(sink.ownedPartitions().size() + " partition(s)"));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.stop();
            try {
                if (!done.await(60, TimeUnit.SECONDS)) {
                    LOG.warn("sink did not stop within 60 s; uncommitted records will be read again on restart");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sink-shutdown"));
        try {
            sink.run();
        } finally {
            if (health != null) {
                health.close();
            }
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
            done.countDown();
            LOG.info("stopped: {}", sink.stats().snapshot());
        }
    }
}
