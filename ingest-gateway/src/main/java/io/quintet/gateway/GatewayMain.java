package io.quintet.gateway;

import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import io.quintet.support.metrics.PrometheusMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the ingest gateway.
 * <pre>
 *   GatewayMain [--config FILE]      serve (FILE defaults to $QUINTET_GATEWAY_CONFIG, if set)
 *   GatewayMain new-key ID SOURCE    print a new write key and the auth.write.keys entry that admits it
 *   GatewayMain hash-key KEY         print the SHA-256 of an existing key, as auth.write.keys wants it
 * </pre>
 * Configuration: see {@link GatewayConfig} and config/ingest-gateway.properties.sample.
 */
@Command(
        name = "GatewayMain",
        description = "Runs the ingest gateway.",
        subcommands = {GatewayMain.NewKey.class, GatewayMain.HashKey.class})
public final class GatewayMain implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "serve with this properties file (default: $QUINTET_GATEWAY_CONFIG, if set)")
    Path file;

    public static void main(String[] args) {
        Cli.mainWithFooter(new GatewayMain(), Cli.settings(GatewayConfig.DEFINITION, GatewayConfig.ENV_PREFIX), args);
    }

    @Command(name = "new-key", description = "print a new write key and the auth.write.keys entry that admits it")
    static final class NewKey implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id")
        String id;

        @Parameters(index = "1", paramLabel = "SOURCE[|SOURCE...]", description = "the sources the key may write")
        String sources;

        @Override
        public Integer call() {
            String key = WriteKeyAuthenticator.newKey();
            System.out.println("write key (give it to the producer, store it nowhere else): " + key);
            System.out.println("configuration entry: " + GatewayConfig.AUTH_WRITE_KEYS + "=" + id + ":"
                    + WriteKeyAuthenticator.sha256Hex(key) + ":" + sources);
            return 0;
        }
    }

    @Command(name = "hash-key", description = "print the SHA-256 of an existing key, as auth.write.keys wants it")
    static final class HashKey implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            System.out.println(WriteKeyAuthenticator.sha256Hex(key));
            return 0;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (file == null && System.getenv("QUINTET_GATEWAY_CONFIG") != null) {
            file = Path.of(System.getenv("QUINTET_GATEWAY_CONFIG"));
        }
        if (file != null && !Files.isRegularFile(file)) {
            System.err.println("configuration file " + file + " does not exist");
            return 2;
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.load(file, System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        PrometheusMetrics metrics = new PrometheusMetrics();
        Gateway gateway = Gateway.start(config, metrics.openTelemetry(), metrics::scrape);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            metrics.close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        stopped.await();
        return 0;
    }
}
