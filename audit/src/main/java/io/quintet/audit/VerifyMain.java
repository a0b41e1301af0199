package io.quintet.audit;

import io.quintet.audit.keys.HmacKeyring;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.verify.Archive;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code verify} command: checks a Kafka topic range or an exported archive against the signed checkpoints,
 * prints what it checked and every problem (the first break of each partition), and exits 0 when the log is
 * intact, 1 when it is not, 2 on a wrong command line or configuration, 3 when the input cannot be read.
 * <pre>
 *   verify topic   [--config FILE] [--bootstrap-servers H:P] [--public-keys FILE] [--hmac-keys FILE]
 *                  [--partitions 0,1] [--from P:OFFSET,...] [--to P:OFFSET,...] [--from-genesis]
 *   verify archive --events FILE --checkpoints FILE [--config FILE] [--public-keys FILE] [--hmac-keys FILE]
 *                  [--log events.canonical] [--from-genesis]
 * </pre>
 */
public final class VerifyMain {
    public static final int OK = 0;
    public static final int NOT_INTACT = 1;
    public static final int USAGE = 2;
    public static final int UNREADABLE = 3;

    private VerifyMain() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) { // 0 (done, or --help) ends like any main that returns
            System.exit(status);
        }
    }

    /** The options every audit tool reads its configuration with ({@link #config}). */
    static final class ConfigOptions {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "the audit tools' configuration; QUINTET_AUDIT_* override it")
        String config;

        @Option(
                names = "--bootstrap-servers",
                paramLabel = "H:P",
                description = "brokers, instead of the configuration's")
        String bootstrapServers;

        @Option(
                names = "--topic-prefix",
                paramLabel = "P",
                description = "topic prefix, instead of the configuration's")
        String topicPrefix;

        @Option(names = "--public-keys", paramLabel = "FILE", description = "the published keys (public-keys.json)")
        String publicKeys;

        @Option(
                names = "--hmac-keys",
                paramLabel = "FILE",
                description = "the HMAC keys, to check the chain's MACs too")
        String hmacKeys;
    }

    @Command(
            name = "verify",
            subcommands = {TopicCommand.class, ArchiveCommand.class},
            description = "Checks a Kafka topic range or an exported archive against the signed checkpoints.",
            footer = "exit: 0 intact, 1 not intact, 2 usage or configuration error, 3 input unreadable")
    static final class Line {}

    @Command(name = "topic", description = "verify a range of the chained topic")
    static final class TopicCommand {
        @Mixin
        ConfigOptions config;

        @Option(names = "--partitions", paramLabel = "0,1", description = "only these partitions")
        String partitions;

        @Option(names = "--from", paramLabel = "P:OFFSET,...", description = "start offsets")
        String from;

        @Option(names = "--to", paramLabel = "P:OFFSET,...", description = "end offsets")
        String to;

        @Option(
                names = "--from-genesis",
                description = "every partition must start at seq 1 (no expired or cut-off head)")
        boolean fromGenesis;
    }

    @Command(name = "archive", description = "verify an archive written by export")
    static final class ArchiveCommand {
        @Mixin
        ConfigOptions config;

        @Option(names = "--events", required = true, paramLabel = "FILE", description = "the archive's events")
        String events;

        @Option(
                names = "--checkpoints",
                required = true,
                paramLabel = "FILE",
                description = "the archive's checkpoints")
        String checkpoints;

        @Option(names = "--log", paramLabel = "events.canonical", description = "the log's name in the checkpoints")
        String log;

        @Option(
                names = "--from-genesis",
                description = "every partition must start at seq 1 (no expired or cut-off head)")
        boolean fromGenesis;
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args args = new Args();
        Integer parsed = Args.parse(new Line(), "verify", argv, out, err, args);
        if (parsed != null) {
            return parsed;
        }
        try {
            if (args.words.size() != 1 || !List.of("topic", "archive").contains(args.words.get(0))) {
                throw new Args.UsageException("expected 'topic' or 'archive'");
            }
            ToolConfig config = config(args, env);
            if (config.publicKeysFile().isEmpty()) {
                throw new Args.UsageException("the published keys are needed: --public-keys FILE or "
                        + ToolConfig.PUBLIC_KEYS + " in the configuration");
            }
            PublicKeySet publicKeys = PublicKeySet.load(Path.of(config.publicKeysFile()));
            HmacKeyring hmac =
                    config.hmacKeysFile().isEmpty() ? null : HmacKeyring.load(Path.of(config.hmacKeysFile()));
            boolean genesis = args.flags.contains("from-genesis");
            ChainedEventSource source;
            List<CheckpointRecord> checkpoints;
            String log;
            if (args.words.get(0).equals("topic")) {
                log = config.eventsTopic();
                source = new KafkaEventSource(
                        config.clientConfig(),
                        log,
                        args.partitions("partitions"),
                        args.offsets("from"),
                        args.offsets("to"),
                        config.idleTimeout());
                checkpoints = KafkaEventSource.readCheckpoints(
                        config.clientConfig(), config.checkpointsTopic(), config.idleTimeout());
            } else {
                log = args.options.getOrDefault("log", config.eventsTopic());
                source = Archive.events(Path.of(args.required("events")));
                checkpoints = Archive.readCheckpoints(Path.of(args.required("checkpoints")));
            }
            VerificationReport report = new ChainVerifier(log, publicKeys, hmac, genesis).verify(source, checkpoints);
            report.print(out);
            return report.clean() ? OK : NOT_INTACT;
        } catch (Args.UsageException e) {
            err.println("verify: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return USAGE;
        } catch (ConfigLoader.InvalidConfigException | IllegalArgumentException e) {
            err.println("verify: " + e.getMessage());
            return USAGE;
        } catch (IOException | UncheckedIOException e) {
            err.println("verify: cannot read the input: " + e.getMessage());
            return UNREADABLE;
        }
    }

    static ToolConfig config(Args args, Map<String, String> env) {
        Map<String, String> overrides = new HashMap<>();
        copy(args, "bootstrap-servers", ToolConfig.BOOTSTRAP, overrides);
        copy(args, "public-keys", ToolConfig.PUBLIC_KEYS, overrides);
        copy(args, "hmac-keys", ToolConfig.HMAC_KEYS, overrides);
        copy(args, "topic-prefix", ToolConfig.TOPIC_PREFIX, overrides);
        String file = args.options.get("config");
        return ToolConfig.load(file == null ? null : Path.of(file), env, overrides);
    }

    private static void copy(Args args, String option, String setting, Map<String, String> into) {
        String v = args.options.get(option);
        if (v != null) {
            into.put(setting, v);
        }
    }
}
