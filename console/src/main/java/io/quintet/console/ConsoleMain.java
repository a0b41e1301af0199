package io.quintet.console;

import io.quintet.model.cli.Usage;
import io.quintet.model.config.ConfigLoader.InvalidConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the web console.
 * <pre>
 *   ConsoleMain [--config FILE]      serve (FILE defaults to $QUINTET_CONSOLE_CONFIG, if set)
 * </pre>
 * Configuration: see {@link ConsoleConfig}; pages and API: docs/console.md.
 */
public final class ConsoleMain {
    static final String USAGE_LINE = "ConsoleMain [--config FILE]\n"
            + "  --config FILE   serve with this properties file (default: $QUINTET_CONSOLE_CONFIG, if set)\n"
            + "The console's pages and JSON API are described in docs/console.md.";

    private ConsoleMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Usage.printIfRequested(args, Usage.service(USAGE_LINE, ConsoleConfig.DEF, ConsoleConfig.ENV_PREFIX))) {
            return;
        }
        Path file = null;
        if (args.length == 2 && args[0].equals("--config")) {
            file = Path.of(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: " + USAGE_LINE);
            System.exit(2);
        } else if (System.getenv("QUINTET_CONSOLE_CONFIG") != null) {
            file = Path.of(System.getenv("QUINTET_CONSOLE_CONFIG"));
        }
        if (file != null && !Files.isRegularFile(file)) {
            System.err.println("configuration file " + file + " does not exist");
            System.exit(2);
        }
        ConsoleConfig config;
        try {
            config = ConsoleConfig.load(file, System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Console console = Console.start(config);
        System.out.println("console: http://" + config.httpHost() + ":" + console.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "console-shutdown"));
        stopped.await();
    }
}
