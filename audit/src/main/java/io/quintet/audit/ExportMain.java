package io.quintet.audit;

import io.quintet.audit.verify.ArchiveExporter;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code export} command: copies {@code events.canonical} (read_committed, every partition or some) and
 * {@code audit.checkpoints} into an archive that {@code verify archive} checks offline.
 * <pre>
 *   export --events OUT.ndjson --checkpoints OUT.ndjson [--config FILE] [--bootstrap-servers H:P] [--partitions 0,1]
 * </pre>
 * Exit codes as {@link VerifyMain}.
 */
public final class ExportMain {
    private ExportMain() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) { // 0 (done, or --help) ends like any main that returns
            System.exit(status);
        }
    }

    @Command(
            name = "export",
            description =
                    "copies events.canonical (read_committed) and audit.checkpoints into an archive 'verify archive' checks",
            footer = {
                "exit: 0 exported, 1 records that are not CloudEvents were skipped, 2 usage or configuration error,",
                "      3 input unreadable"
            })
    static final class Line {
        @Option(names = "--events", required = true, paramLabel = "OUT", description = "the archive's events file")
        String events;

        @Option(
                names = "--checkpoints",
                required = true,
                paramLabel = "OUT",
                description = "the archive's checkpoints file")
        String checkpoints;

        @Option(names = "--partitions", paramLabel = "0,1", description = "only these partitions")
        String partitions;

        @Mixin
        VerifyMain.ConfigOptions config;
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args args = new Args();
        Integer parsed = Args.parse(new Line(), "export", argv, out, err, args);
        if (parsed != null) {
            return parsed;
        }
        try {
            ToolConfig config = VerifyMain.config(args, env);
            ArchiveExporter.Result r = ArchiveExporter.export(
                    config.clientConfig(),
                    config.eventsTopic(),
                    config.checkpointsTopic(),
                    args.partitions("partitions"),
                    Path.of(args.required("events")),
                    Path.of(args.required("checkpoints")),
                    config.idleTimeout());
            out.printf(
                    "exported %d events and %d checkpoints%s%n",
                    r.events(),
                    r.checkpoints(),
                    r.skipped() == 0
                            ? ""
                            : "; " + r.skipped() + " records that are not CloudEvents were skipped" + " (first at "
                                    + r.firstSkipped() + ")");
            return r.skipped() == 0 ? VerifyMain.OK : VerifyMain.NOT_INTACT;
        } catch (Args.UsageException e) {
            err.println("export: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return VerifyMain.USAGE;
        } catch (ConfigLoader.InvalidConfigException | IllegalArgumentException e) {
            err.println("export: " + e.getMessage());
            return VerifyMain.USAGE;
        } catch (IOException | UncheckedIOException e) {
            err.println("export: " + e.getMessage());
            return VerifyMain.UNREADABLE;
        }
    }
}
