package io.quintet.support.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * Every main's command line, through picocli, so that help and errors look the same everywhere:
 * <ul>
 *   <li>{@code --help} or {@code -h} (at any level of subcommands), or {@code help} first: the usage on standard
 *   output, status 0, before anything else (no configuration read, no connection made);</li>
 *   <li>a wrong command line: what is wrong, then the usage, on standard error, status 2;</li>
 *   <li>otherwise the command's own status (a {@code Callable<Integer>}'s result; 1 for an exception it throws).</li>
 * </ul>
 */
public final class Cli {
    /** The status of a wrong command line, as every main has always used. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private Cli() {}

    /** Runs {@code command} (a picocli {@code @Command}) on {@code args}; returns its status. */
    public static int execute(Object command, String... args) {
        return execute(command, null, System.out, System.err, args);
    }

    /**
     * Runs {@code command} on {@code args}, with {@code footer} (if not null) after the usage and {@code out} /
     * {@code err} for the usage and the errors; returns its status.
     */
    public static int execute(Object command, String footer, PrintStream out, PrintStream err, String... args) {
        CommandLine cl = commandLine(command, footer);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        if (args.length > 0 && args[0].equals("help")) {
            cl.usage(out);
            return CommandLine.ExitCode.OK;
        }
        return cl.execute(args);
    }

    /**
     * Reads {@code args} into {@code command}'s options, for a tool that runs itself with its own streams: null when
     * it is to run; 0 when help was asked for (printed on {@code out}); {@link #USAGE} when the command line is wrong
     * (printed on {@code err} as {@code name: problem}, then the usage).
     */
    public static Integer parse(Object command, String name, PrintStream out, PrintStream err, String... args) {
        return parse(commandLine(command, null), name, out, err, args);
    }

    /** {@link #parse(Object, String, PrintStream, PrintStream, String...)} with a command line from {@link #commandLine}. */
    public static Integer parse(CommandLine cl, String name, PrintStream out, PrintStream err, String... args) {
        if (args.length > 0 && args[0].equals("help")) {
            cl.usage(out);
            return CommandLine.ExitCode.OK;
        }
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            while (parsed != null) {
                if (parsed.isUsageHelpRequested()) {
                    parsed.commandSpec().commandLine().usage(out);
                    return CommandLine.ExitCode.OK;
                }
                parsed = parsed.subcommand();
            }
            return null;
        } catch (CommandLine.ParameterException e) {
            err.println(name + ": " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        }
    }

    /**
     * A main's whole body: runs {@code command} and exits with its status unless that is 0 (then the main returns, as
     * any main does, and a service's threads go on).
     */
    public static void main(Object command, String... args) {
        mainWithFooter(command, null, args);
    }

    /** {@link #main} with a footer after the usage (a service's settings: {@link #settings}). */
    public static void mainWithFooter(Object command, String footer, String... args) {
        int status = execute(command, footer, System.out, System.err, args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * The {@code @Command}-annotated static method {@code name} of {@code owner}, as a command for {@link #main}: its
     * {@code @Option} and {@code @Parameters} parameters are the command line, its int result the status.
     */
    public static java.lang.reflect.Method method(Class<?> owner, String name) {
        List<java.lang.reflect.Method> found = CommandLine.getCommandMethods(owner, name);
        if (found.size() != 1) {
            throw new IllegalArgumentException(owner.getName() + " has " + found.size() + " @Command methods " + name);
        }
        return found.get(0);
    }

    /** The body of a main whose command line is at most a properties file. */
    @FunctionalInterface
    public interface ConfigFileMain {
        void run(Path configFile) throws Exception;
    }

    /**
     * A main whose command line is at most a properties file ({@code NAME [config.properties]}): runs {@code body}
     * with the file (null when none is given); exits as {@link #main} does.
     */
    public static void configFileMain(
            String name, String description, String footer, String[] args, ConfigFileMain body) {
        mainWithFooter(new ConfigFileCommand(name, description, body), footer, args);
    }

    @Command
    static final class ConfigFileCommand implements Callable<Integer> {
        @Parameters(
                arity = "0..1",
                paramLabel = "config.properties",
                description = "the properties file; environment variables override it")
        Path file;

        final ConfigFileMain body;
        private final String name;
        private final String description;

        ConfigFileCommand(String name, String description, ConfigFileMain body) {
            this.name = name;
            this.description = description;
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            body.run(file);
            return CommandLine.ExitCode.OK;
        }
    }

    /**
     * The command line as every main configures it: lower-case "usage:", 120 columns, options in the order declared,
     * -h/--help on every (sub)command.
     */
    public static CommandLine commandLine(Object command, String footer) {
        CommandLine cl = new CommandLine(command);
        if (command instanceof ConfigFileCommand c) {
            cl.getCommandSpec().name(c.name);
            cl.getCommandSpec().usageMessage().description(c.description.replace("%", "%%"));
        }
        configure(cl);
        if (footer != null) {
            // as written: not re-wrapped to picocli's width, not taken as a format string
            cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer);
        }
        return cl;
    }

    private static void configure(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage()
                .synopsisHeading("usage: ")
                .width(120)
                .sortOptions(false)
                .sortSynopsis(false);
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("print this help and exit")
                    .build());
        }
        cl.getSubcommands().values().forEach(Cli::configure);
    }

    /**
     * The footer of a service configured by a {@link ConfigDef}: the layering, then every setting with its
     * environment variable, default and meaning (the same facts as docs/configuration.md).
     */
    public static String settings(ConfigDef def, String envPrefix) {
        StringBuilder sb = new StringBuilder("\n")
                .append("Configuration: the defaults below, then the properties file (if given), then environment\n")
                .append("variables ")
                .append(envPrefix)
                .append("<SETTING> ('.' -> '_', '_' -> '__'). Bad or unknown\n")
                .append("settings are all reported at start-up and the service exits with status 2. Settings under\n")
                .append(
                        "kafka.client. go to the Kafka clients unchanged. Reference: docs/configuration.md.\n\nsettings:\n");
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            sb.append("  ")
                    .append(k.name)
                    .append("  (")
                    .append(envName(envPrefix, k.name))
                    .append(", ")
                    .append(k.type.name().toLowerCase(Locale.ROOT))
                    .append(", default ")
                    .append(defaultOf(k))
                    .append(")\n")
                    .append("      ")
                    .append(k.documentation == null ? "" : k.documentation)
                    .append('\n');
        }
        return sb.toString();
    }

    static String envName(String prefix, String setting) {
        return prefix + setting.replace("_", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static String defaultOf(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) {
            return "none: required";
        }
        Object v = k.defaultValue;
        if (v instanceof Password) {
            return "hidden";
        }
        String text = v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v);
        return text.isEmpty() ? "empty" : "'" + text + "'";
    }
}
