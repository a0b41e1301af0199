package io.quintet.model.cli;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code --help} for every main: checked before anything else (no configuration read, no connection made), the
 * usage printed to standard output, exit status 0.
 */
public final class Usage {
    private Usage() {
    }

    /** Whether the command line asks for help: {@code --help} or {@code -h} anywhere, or {@code help} first. */
    public static boolean requested(String... args) {
        if (args.length > 0 && args[0].equals("help")) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Prints {@code text} when help is asked for; the caller then returns without doing anything else. */
    public static boolean printIfRequested(String[] args, String text) {
        return printIfRequested(args, text, System.out);
    }

    public static boolean printIfRequested(String[] args, String text, PrintStream out) {
        if (!requested(args)) {
            return false;
        }
        out.println(text.strip());
        out.flush();
        return true;
    }

    /**
     * The usage of a service configured by a {@link ConfigDef}: the command line, the layering, then every setting
     * with its environment variable, default and meaning (the same facts as docs/configuration.md).
     */
    public static String service(String commandLine, ConfigDef def, String envPrefix) {
        StringBuilder sb = new StringBuilder("usage: ").append(commandLine).append("\n\n")
                .append("Configuration: the defaults below, then the properties file (if given), then environment\n")
                .append("variables ").append(envPrefix).append("<SETTING> ('.' -> '_', '_' -> '__'). Bad or unknown\n")
                .append("settings are all reported at start-up and the service exits with status 2. Settings under\n")
                .append("kafka.client. go to the Kafka clients unchanged. Reference: docs/configuration.md.\n\nsettings:\n");
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            sb.append("  ").append(k.name).append("  (").append(envName(envPrefix, k.name)).append(", ")
                    .append(k.type.name().toLowerCase(Locale.ROOT)).append(", default ").append(defaultOf(k)).append(")\n")
                    .append("      ").append(k.documentation == null ? "" : k.documentation).append('\n');
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
        String text = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
        return text.isEmpty() ? "empty" : "'" + text + "'";
    }
}
