package io.quintet.enricher;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.quintet.enricher.privacy.PrivacyStep;
import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.config.ConfigLoader;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the enricher: {@code java io.quintet.enricher.EnricherApp [config.properties]}. Configuration as
 * {@link EnricherConfig} describes; OpenTelemetry from {@link GlobalOpenTelemetry} (set up by the deployer's SDK or
 * agent; a no-op otherwise). Stops cleanly on SIGTERM.
 */
public final class EnricherApp {
    private static final Logger LOG = LoggerFactory.getLogger(EnricherApp.class);

    private EnricherApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println("usage: EnricherApp [config.properties]   (settings: see enricher/config/enricher.properties.sample)");
            System.exit(2);
        }
        EnricherConfig config;
        try {
            config = EnricherConfig.load(args.length == 1 ? Path.of(args[0]) : null, System.getenv());
        } catch (ConfigLoader.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        EnricherTelemetry telemetry = new EnricherTelemetry(GlobalOpenTelemetry.get());
        EnricherSettings settings = config.settings();
        Topology topology = EnricherTopology.buildTopology(settings, telemetry, PrivacyStep.disabled());
        Properties props = config.streamsProperties();
        props.put(EnricherTelemetry.CONFIG_KEY, telemetry);
        LOG.info("enricher topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed ({}); replacing it", e.getClass().getSimpleName(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("enricher state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "enricher-shutdown"));
        streams.start();
        stopped.await();
    }
}
