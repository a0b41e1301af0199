package io.quintet.console;

import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the web console.
 * <pre>
 *   ConsoleMain [--config FILE]      serve (FILE defaults to $QUINTET_CONSOLE_CONFIG, if set)
 * </pre>
 * Configuration: see {@link ConsoleConfig}; pages and API: docs/console.md.
 */
@Command(
        name = "ConsoleMain",
        description = "Runs the web console (its pages and JSON API are described in docs/console.md).")
public final class ConsoleMain implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "serve with this properties file (default: $QUINTET_CONSOLE_CONFIG, if set)")
    Path file;

    public static void main(String[] args) {
        Cli.mainWithFooter(new ConsoleMain(), Cli.settings(ConsoleConfig.DEF, ConsoleConfig.ENV_PREFIX), args);
    }

    @Override
    public Integer call() throws Exception {
        if (file == null && System.getenv("QUINTET_CONSOLE_CONFIG") != null) {
            file = Path.of(System.getenv("QUINTET_CONSOLE_CONFIG"));
        }
        if (file != null && !Files.isRegularFile(file)) {
            System.err.println("configuration file " + file + " does not exist");
            return 2;
        }
        ConsoleConfig config;
        try {
            config = ConsoleConfig.load(file, System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Console console = Console.start(config);
        System.out.println("console: http://" + config.httpHost() + ":" + console.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            stopped.countDown();
                        },
                        "console-shutdown"));
        stopped.await();
        return 0;
    }
}
