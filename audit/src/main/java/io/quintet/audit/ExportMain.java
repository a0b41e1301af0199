package io.quintet.audit;

import io.quintet.model.cli.Usage;
import io.quintet.audit.verify.ArchiveExporter;
import io.quintet.model.config.ConfigLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code export} command: copies {@code events.canonical} (read_committed, every partition or some) and
 * {@code audit.checkpoints} into an archive that {@code verify archive} checks offline.
 * <pre>
 *   export --events OUT.ndjson --checkpoints OUT.ndjson [--config FILE] [--bootstrap-servers H:P] [--partitions 0,1]
 * </pre>
 * Exit codes as {@link VerifyMain}.
 */
public final class ExportMain {
    static final String USAGE_TEXT = """
            usage: export --events OUT --checkpoints OUT [--config FILE] [--bootstrap-servers H:P] [--partitions 0,1]
              copies events.canonical (read_committed) and audit.checkpoints into an archive 'verify archive' checks
            exit: 0 exported, 1 records that are not CloudEvents were skipped, 2 usage or configuration error,
                  3 input unreadable""";

    private ExportMain() {
    }

    public static void main(String[] args) {
        if (Usage.printIfRequested(args, USAGE_TEXT)) {
            return; // no System.exit: --help ends like any main that returns
        }
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        if (Usage.printIfRequested(argv, USAGE_TEXT, out)) {
            return VerifyMain.OK;
        }
        try {
            Args args = Args.parse(argv, Set.of());
            ToolConfig config = VerifyMain.config(args, env);
            ArchiveExporter.Result r = ArchiveExporter.export(config.clientConfig(), config.eventsTopic(),
                    config.checkpointsTopic(), args.partitions("partitions"), Path.of(args.required("events")),
                    Path.of(args.required("checkpoints")), config.idleTimeout());
            out.printf("exported %d events and %d checkpoints%s%n", r.events(), r.checkpoints(),
                    r.skipped() == 0 ? "" : "; " + r.skipped() + " records that are not CloudEvents were skipped"
                            + " (first at " + r.firstSkipped() + ")");
            return r.skipped() == 0 ? VerifyMain.OK : VerifyMain.NOT_INTACT;
        } catch (Args.UsageException e) {
            err.println("export: " + e.getMessage());
            err.println(USAGE_TEXT);
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
