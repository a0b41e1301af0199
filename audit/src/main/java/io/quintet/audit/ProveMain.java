package io.quintet.audit;

import io.quintet.audit.keys.PublicKeySet;
import io.quintet.audit.proof.ProofBuilder;
import io.quintet.audit.proof.ProofDocument;
import io.quintet.audit.verify.Archive;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.KafkaEventSource;
import io.quintet.support.cli.Cli;
import io.quintet.support.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code prove} command: proofs a third party can check with the published keys alone (see
 * {@link ProofDocument} for the JSON), and the check itself.
 * <pre>
 *   prove inclusion   topic|archive --partition P (--seq N | --event-id ID) [source options] [--out FILE]
 *   prove consistency topic|archive --partition P --older INDEX --newer INDEX [source options] [--out FILE]
 *   prove check --proof FILE [--public-keys FILE] [--config FILE]
 * </pre>
 * Source options as {@code verify}: topic {@code [--config FILE] [--bootstrap-servers H:P] [--topic-prefix P]};
 * archive {@code --events FILE --checkpoints FILE [--log events.canonical]}. The proof goes to {@code --out} or
 * standard output. Exit codes: 0 proof written / proof valid, 1 no proof possible (event not covered by a
 * checkpoint, log does not match) / proof invalid, 2 wrong command line or configuration, 3 input unreadable.
 */
public final class ProveMain {
    private ProveMain() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) { // 0 (done, or --help) ends like any main that returns
            System.exit(status);
        }
    }

    @Command(
            name = "prove",
            subcommands = {Inclusion.class, Consistency.class, Check.class},
            description = "Proofs a third party can check with the published keys alone, and the check itself.",
            footer = {
                "exit: 0 proof written or valid, 1 no proof possible or proof invalid, 2 usage or configuration error,",
                "      3 input unreadable"
            })
    static final class Line {}

    /** Where the events come from: topic ({@code --config}, ...) or archive ({@code --events}, ...). */
    static class SourceOptions {
        @Parameters(
                index = "0",
                paramLabel = "topic|archive",
                description = "the chained topic, or an archive written by export")
        String source;

        @Option(names = "--partition", required = true, paramLabel = "P", description = "the partition")
        String partition;

        @Option(names = "--events", paramLabel = "FILE", description = "archive: its events")
        String events;

        @Option(names = "--checkpoints", paramLabel = "FILE", description = "archive: its checkpoints")
        String checkpoints;

        @Option(
                names = "--log",
                paramLabel = "events.canonical",
                description = "archive: the log's name in the checkpoints")
        String log;

        @Option(names = "--out", paramLabel = "FILE", description = "write the proof here (default: standard output)")
        String out;

        @Mixin
        VerifyMain.ConfigOptions config;
    }

    @Command(name = "inclusion", description = "an event is in a signed checkpoint")
    static final class Inclusion extends SourceOptions {
        @Option(names = "--seq", paramLabel = "N", description = "the event's sequence number (or --event-id)")
        String seq;

        @Option(names = "--event-id", paramLabel = "ID", description = "the event's id (or --seq)")
        String eventId;
    }

    @Command(name = "consistency", description = "a newer checkpoint extends an older one")
    static final class Consistency extends SourceOptions {
        @Option(names = "--older", required = true, paramLabel = "INDEX", description = "the older checkpoint")
        String older;

        @Option(names = "--newer", required = true, paramLabel = "INDEX", description = "the newer checkpoint")
        String newer;
    }

    @Command(name = "check", description = "checks a proof with the published keys")
    static final class Check {
        @Option(names = "--proof", required = true, paramLabel = "FILE", description = "the proof")
        String proof;

        @Mixin
        VerifyMain.ConfigOptions config;
    }

    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args args = new Args();
        Integer parsed = Args.parse(new Line(), "prove", argv, out, err, args);
        if (parsed != null) {
            return parsed;
        }
        try {
            String command = args.words.isEmpty() ? "" : args.words.get(0);
            ToolConfig config = VerifyMain.config(args, env);
            return switch (command) {
                case "check" -> check(args, config, out);
                case "inclusion", "consistency" -> prove(command, args, config, out, err);
                default -> throw new Args.UsageException("expected 'inclusion', 'consistency' or 'check'");
            };
        } catch (Args.UsageException e) {
            err.println("prove: " + e.getMessage());
            Cli.commandLine(new Line(), null).usage(err);
            return VerifyMain.USAGE;
        } catch (ConfigLoader.InvalidConfigException | IllegalArgumentException e) {
            err.println("prove: " + e.getMessage());
            return VerifyMain.USAGE;
        } catch (NoSuchFileException e) {
            err.println("prove: cannot read the input: no such file " + e.getMessage());
            return VerifyMain.UNREADABLE;
        } catch (IOException | UncheckedIOException e) {
            err.println("prove: cannot read the input: " + e.getMessage());
            return VerifyMain.UNREADABLE;
        }
    }

    private static int prove(String kind, Args args, ToolConfig config, PrintStream out, PrintStream err)
            throws IOException {
        if (args.words.size() != 2 || !List.of("topic", "archive").contains(args.words.get(1))) {
            throw new Args.UsageException("expected 'prove " + kind + " topic' or 'prove " + kind + " archive'");
        }
        int partition = Math.toIntExact(integer(args, "partition"));
        String log;
        ChainedEventSource source;
        List<CheckpointRecord> checkpoints;
        if (args.words.get(1).equals("topic")) {
            log = config.eventsTopic();
            source = new KafkaEventSource(
                    config.clientConfig(), log, Set.of(partition), Map.of(), Map.of(), config.idleTimeout());
            checkpoints = KafkaEventSource.readCheckpoints(
                    config.clientConfig(), config.checkpointsTopic(), config.idleTimeout());
        } else {
            log = args.options.getOrDefault("log", config.eventsTopic());
            source = Archive.events(Path.of(args.required("events")));
            checkpoints = Archive.readCheckpoints(Path.of(args.required("checkpoints")));
        }
        ProofBuilder builder = new ProofBuilder(log, checkpoints);
        ProofDocument proof;
        try {
            if (kind.equals("inclusion")) {
                ProofBuilder.Target target;
                if (args.options.containsKey("seq") == args.options.containsKey("event-id")) {
                    throw new Args.UsageException("give exactly one of --seq N and --event-id ID");
                }
                target = args.options.containsKey("seq")
                        ? new ProofBuilder.Target.Seq(integer(args, "seq"))
                        : new ProofBuilder.Target.EventId(args.options.get("event-id"));
                proof = builder.inclusion(source, partition, target);
            } else {
                proof = builder.consistency(source, partition, integer(args, "older"), integer(args, "newer"));
            }
        } catch (ProofBuilder.ProofException e) {
            err.println("prove: " + e.getMessage());
            return VerifyMain.NOT_INTACT;
        }
        String json = proof.toJson();
        String file = args.options.get("out");
        if (file == null) {
            out.println(json);
        } else {
            Files.writeString(Path.of(file), json + "\n", StandardCharsets.UTF_8);
            out.println("wrote " + kind + " proof to " + file);
        }
        return VerifyMain.OK;
    }

    private static int check(Args args, ToolConfig config, PrintStream out) throws IOException {
        if (config.publicKeysFile().isEmpty()) {
            throw new Args.UsageException("the published keys are needed: --public-keys FILE or "
                    + ToolConfig.PUBLIC_KEYS + " in the configuration");
        }
        PublicKeySet keys = PublicKeySet.load(Path.of(config.publicKeysFile()));
        ProofDocument proof =
                ProofDocument.parse(Files.readString(Path.of(args.required("proof")), StandardCharsets.UTF_8));
        List<String> problems = proof.check(keys);
        if (problems.isEmpty()) {
            out.println("VALID " + describe(proof));
            return VerifyMain.OK;
        }
        out.println("INVALID " + describe(proof));
        problems.forEach(p -> out.println("  " + p));
        return VerifyMain.NOT_INTACT;
    }

    private static String describe(ProofDocument proof) {
        if (proof instanceof ProofDocument.Inclusion i) {
            return "inclusion proof: event seq " + i.seq() + " is in "
                    + i.checkpoint().checkpoint().describe();
        }
        ProofDocument.Consistency c = (ProofDocument.Consistency) proof;
        return "consistency proof: " + c.newer().checkpoint().describe() + " (tree size "
                + c.newer().checkpoint().treeSize() + ") extends "
                + c.older().checkpoint().describe() + " (tree size "
                + c.older().checkpoint().treeSize() + ")";
    }

    private static long integer(Args args, String name) {
        String v = args.required(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + name + " takes a number, got '" + v + "'");
        }
    }
}
