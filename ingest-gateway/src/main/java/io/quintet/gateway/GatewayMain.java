package io.quintet.gateway;

import io.quintet.model.cli.Usage;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.model.metrics.PrometheusMetrics;
import io.quintet.model.config.ConfigLoader.InvalidConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the ingest gateway.
 * <pre>
 *   GatewayMain [--config FILE]      serve (FILE defaults to $QUINTET_GATEWAY_CONFIG, if set)
 *   GatewayMain new-key ID SOURCE    print a new write key and the auth.write.keys entry that admits it
 *   GatewayMain hash-key KEY         print the SHA-256 of an existing key, as auth.write.keys wants it
 * </pre>
 * Configuration: see {@link GatewayConfig} and config/ingest-gateway.properties.sample.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    static final String USAGE_LINE = "GatewayMain [--config FILE] | new-key ID SOURCE[|SOURCE...] | hash-key KEY\n"
            + "  --config FILE   serve with this properties file (default: $QUINTET_GATEWAY_CONFIG, if set)\n"
            + "  new-key ID SRC  print a new write key and the auth.write.keys entry that admits it\n"
            + "  hash-key KEY    print the SHA-256 of an existing key, as auth.write.keys wants it";

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, Usage.service(USAGE_LINE, GatewayConfig.DEFINITION, GatewayConfig.ENV_PREFIX))) {
            return;
        }
        if (args.length >= 1 && args[0].equals("hash-key")) {
            if (args.length != 2) {
                usage();
            }
            System.out.println(WriteKeyAuthenticator.sha256Hex(args[1]));
            return;
        }
        if (args.length >= 1 && args[0].equals("new-key")) {
            if (args.length != 3) {
                usage();
            }
            String key = WriteKeyAuthenticator.newKey();
            System.out.println("write key (give it to the producer, store it nowhere else): " + key);
            System.out.println("configuration entry: " + GatewayConfig.AUTH_WRITE_KEYS + "=" + args[1] + ":"
                    + WriteKeyAuthenticator.sha256Hex(key) + ":" + args[2]);
            return;
        }
        Path file = null;
        if (args.length == 2 && args[0].equals("--config")) {
            file = Path.of(args[1]);
        } else if (args.length != 0) {
            usage();
        } else if (System.getenv("QUINTET_GATEWAY_CONFIG") != null) {
            file = Path.of(System.getenv("QUINTET_GATEWAY_CONFIG"));
        }
        if (file != null && !Files.isRegularFile(file)) {
            System.err.println("configuration file " + file + " does not exist");
            System.exit(2);
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.load(file, System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMetrics metrics = new PrometheusMetrics();
        Gateway gateway = Gateway.start(config, metrics.openTelemetry(), metrics::scrape);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            metrics.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
    }

    private static void usage() {
        System.err.println("usage: GatewayMain [--config FILE] | new-key ID SOURCE[|SOURCE...] | hash-key KEY");
        System.exit(2);
    }
}
