package io.quintet.sink.verify;

import io.quintet.audit.ToolConfig;
import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.Archive;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.sink.app.AnalyticsSink;
import io.quintet.sink.config.CatalogFactory;
import io.quintet.sink.config.SinkConfig;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify table}: checks the warm store's events table against the signed audit checkpoints (the
 * {@code audit.checkpoints} topic, or an exported checkpoints file) with the audit module's verifier, prints what it
 * checked and the first broken, missing, reordered or altered row of each partition, and exits 0 when the table is
 * intact, 1 when it is not, 2 on a wrong command line or configuration, 3 when the input cannot be read (the audit
 * {@code VerifyMain} exit codes).
 * <pre>
 *   VerifyTableMain [--config sink.properties] [--audit-config audit.properties] [--public-keys FILE]
 *                   [--hmac-keys FILE] [--checkpoints FILE] [--partitions 0,1] [--from-genesis] [--table-may-lag]
 * </pre>
 * The table (catalog, namespace, name), the brokers and the topic prefix come from the sink's configuration
 * ({@code --config}, {@code QUINTET_SINK_*}); the keys from the audit tools' configuration ({@code --audit-config},
 * {@code QUINTET_AUDIT_*}) or the options. It lives in the sink so that the audit module needs no Iceberg.
 */
public final class VerifyTableMain {
    public static final int OK = 0;
    public static final int NOT_INTACT = 1;
    public static final int USAGE = 2;
    public static final int UNREADABLE = 3;

    @Command(
            name = "VerifyTableMain",
            description = "Verifies the warm store's table against the audit chain.",
            footer = "exit: 0 intact, 1 not intact, 2 usage or configuration error, 3 input unreadable")
    static final class Line {
        @Option(names = "--config", paramLabel = "sink.properties", description = "the analytics sink's configuration")
        String config;

        @Option(
                names = "--audit-config",
                paramLabel = "audit.properties",
                description = "the audit tools' configuration")
        String auditConfig;

        @Option(names = "--public-keys", paramLabel = "FILE", description = "the published keys")
        String publicKeys;

        @Option(names = "--hmac-keys", paramLabel = "FILE", description = "the HMAC keys")
        String hmacKeys;

        @Option(
                names = "--checkpoints",
                paramLabel = "FILE",
                description = "checkpoints NDJSON (audit export); default: the audit.checkpoints topic")
        String checkpoints;

        @Option(names = "--partitions", paramLabel = "0,1", description = "only these partitions")
        String partitions;

        @Option(names = "--from-genesis", description = "every partition must start at seq 1 (no expired head)")
        boolean fromGenesis;

        @Option(
                names = "--table-may-lag",
                description = "the sink has not caught up: checkpoints beyond the last row are not a truncation")
        boolean tableMayLag;

        Map<String, String> options() {
            Map<String, String> options = new LinkedHashMap<>();
            String[][] all = {
                {"config", config},
                {"audit-config", auditConfig},
                {"public-keys", publicKeys},
                {"hmac-keys", hmacKeys},
                {"checkpoints", checkpoints},
                {"partitions", partitions}
            };
            for (String[] o : all) {
                if (o[1] != null) {
                    options.put(o[0], o[1]);
                }
            }
            return options;
        }

        Set<String> flags() {
            Set<String> flags = new TreeSet<>();
            if (fromGenesis) {
                flags.add("from-genesis");
            }
            if (tableMayLag) {
                flags.add("table-may-lag");
            }
            return flags;
        }
    }

    private VerifyTableMain() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Line line = new Line();
        Integer parsed = Cli.parse(line, "verify table", out, err, argv);
        if (parsed != null) {
            return parsed;
        }
        try {
            Map<String, String> options = line.options();
            Set<String> flags = line.flags();
            String sinkFile = options.get("config");
            SinkConfig sink = SinkConfig.load(sinkFile == null ? null : Path.of(sinkFile), env);
            ToolConfig audit = auditConfig(options, sink, env);
            if (audit.publicKeysFile().isEmpty()) {
                throw new UsageException("the published keys are needed: --public-keys FILE or "
                        + ToolConfig.PUBLIC_KEYS + " in the audit configuration");
            }
            PublicKeySet publicKeys = PublicKeySet.load(Path.of(audit.publicKeysFile()));
            HmacKeyring hmac = audit.hmacKeysFile().isEmpty() ? null : HmacKeyring.load(Path.of(audit.hmacKeysFile()));
            Set<Integer> partitions = partitions(options.get("partitions"));
            List<CheckpointRecord> checkpoints = options.containsKey("checkpoints")
                    ? Archive.readCheckpoints(Path.of(options.get("checkpoints")))
                    : KafkaEventSource.readCheckpoints(
                            audit.clientConfig(), audit.checkpointsTopic(), audit.idleTimeout());
            Catalog catalog = CatalogFactory.create(sink);
            try {
                Table table = catalog.loadTable(AnalyticsSink.tableIdentifier(sink));
                TableChainSource source = new TableChainSource(table, partitions, !flags.contains("table-may-lag"));
                VerificationReport report = new ChainVerifier(
                                audit.eventsTopic(), publicKeys, hmac, flags.contains("from-genesis"))
                        .verify(source, checkpoints);
                report.print(out);
                return report.clean() ? OK : NOT_INTACT;
            } finally {
                if (catalog instanceof Closeable c) {
                    c.close();
                }
            }
        } catch (UsageException e) {
            err.println("verify table: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return USAGE;
        } catch (ConfigLoader.InvalidConfigException | IllegalArgumentException e) {
            err.println("verify table: " + e.getMessage());
            return USAGE;
        } catch (NoSuchTableException e) {
            err.println("verify table: no such table: " + e.getMessage());
            return UNREADABLE;
        } catch (IOException | UncheckedIOException e) {
            err.println("verify table: cannot read the input: " + e.getMessage());
            return UNREADABLE;
        }
    }

    /** The audit tools' settings; brokers and topic prefix default to the sink's, so both read the same cluster. */
    private static ToolConfig auditConfig(Map<String, String> options, SinkConfig sink, Map<String, String> env) {
        Map<String, String> overrides = new HashMap<>();
        String file = options.get("audit-config");
        Map<String, String> fromFileAndEnv = new HashMap<>();
        if (file != null) {
            fromFileAndEnv.putAll(ConfigLoader.readProperties(Path.of(file)));
        }
        fromFileAndEnv.putAll(ConfigLoader.fromEnvironment(env, ToolConfig.ENV_PREFIX));
        if (!fromFileAndEnv.containsKey(ToolConfig.BOOTSTRAP)) {
            overrides.put(ToolConfig.BOOTSTRAP, sink.bootstrapServers());
        }
        if (!fromFileAndEnv.containsKey(ToolConfig.TOPIC_PREFIX)) {
            overrides.put(ToolConfig.TOPIC_PREFIX, sink.topicPrefix());
        }
        if (options.containsKey("public-keys")) {
            overrides.put(ToolConfig.PUBLIC_KEYS, options.get("public-keys"));
        }
        if (options.containsKey("hmac-keys")) {
            overrides.put(ToolConfig.HMAC_KEYS, options.get("hmac-keys"));
        }
        return ToolConfig.load(file == null ? null : Path.of(file), env, overrides);
    }

    private static Set<Integer> partitions(String list) {
        if (list == null) {
            return null;
        }
        Set<Integer> out = new TreeSet<>();
        for (String p : list.split(",")) {
            try {
                out.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "--partitions takes a comma-separated list of partition numbers, got '" + list + "'");
            }
        }
        return out;
    }
}
