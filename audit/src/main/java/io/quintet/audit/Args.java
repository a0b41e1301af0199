package io.quintet.audit;

import io.quintet.support.cli.Cli;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * A tool's command line as picocli read it: the (sub)command words and positional words, {@code --name value}
 * options by name and {@code --flag}s. The tools' commands ({@link VerifyMain}, {@link ProveMain}, {@link ExportMain},
 * {@link KeysMain}) declare their options with picocli; this is what their bodies read.
 */
final class Args {
    final List<String> words = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    final Set<String> flags = new HashSet<>();

    /**
     * Parses {@code argv} with {@code command}: null when it is to run (then {@code into} holds what was read); 0
     * when help was printed; {@link VerifyMain#USAGE} when the command line is wrong (printed with the usage).
     */
    static Integer parse(Object command, String name, String[] argv, PrintStream out, PrintStream err, Args into) {
        CommandLine cl = Cli.commandLine(command, null);
        Integer status = Cli.parse(cl, name, out, err, argv);
        if (status != null) {
            return status;
        }
        CommandLine.ParseResult root = cl.getParseResult();
        for (CommandLine.ParseResult r = root; r != null; r = r.subcommand()) {
            if (r != root) {
                into.words.add(r.commandSpec().name());
            }
            for (CommandLine.Model.OptionSpec o : r.matchedOptions()) {
                String option = o.longestName().substring(2);
                if (o.typeInfo().isBoolean()) {
                    into.flags.add(option);
                } else {
                    into.options.put(option, String.valueOf((Object) o.getValue()));
                }
            }
            for (CommandLine.Model.PositionalParamSpec p : r.matchedPositionals()) {
                into.words.add(String.valueOf((Object) p.getValue()));
            }
        }
        return null;
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("option --" + name + " is required");
        }
        return v;
    }

    /** "0:120,2:5" -> {0=120, 2=5}. */
    Map<Integer, Long> offsets(String name) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        String v = options.get(name);
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            String[] po = part.trim().split(":");
            try {
                out.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            } catch (RuntimeException e) {
                throw new UsageException(
                        "--" + name + " takes PARTITION:OFFSET[,PARTITION:OFFSET...], got '" + v + "'");
            }
        }
        return out;
    }

    Set<Integer> partitions(String name) {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        Set<Integer> out = new HashSet<>();
        try {
            for (String p : v.split(",")) {
                out.add(Integer.parseInt(p.trim()));
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a comma-separated list of partitions, got '" + v + "'");
        }
        return out;
    }

    /** A wrong command line: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
