package io.quintet.support.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed service configuration, loaded in layers and validated at start-up:
 * <ol>
 *   <li>defaults declared in the service's {@link ConfigDef};</li>
 *   <li>a properties file (optional);</li>
 *   <li>environment variables with the service's prefix: {@code QUINTET_ENRICHER_KAFKA_BOOTSTRAP_SERVERS}
 *       sets {@code kafka.bootstrap.servers} (after the prefix, {@code _} becomes {@code .} and {@code __} becomes
 *       {@code _}).</li>
 * </ol>
 * Every bad setting is reported, each with its own message, in one {@link InvalidConfigException}, rather than
 * failing on the first.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads and validates; returns the parsed values keyed by setting name. */
    public static Map<String, Object> load(ConfigDef def, Path file, Map<String, String> env, String envPrefix) {
        return validate(def, raw(file, env, envPrefix));
    }

    /**
     * The raw settings (name to text): the file's (none when {@code file} is null), then the environment's, which win.
     */
    public static Map<String, String> raw(Path file, Map<String, String> env, String envPrefix) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readProperties(file));
        }
        raw.putAll(fromEnvironment(env, envPrefix));
        return raw;
    }

    /** Settings named by environment variables that start with {@code envPrefix} (e.g. {@code QUINTET_GATEWAY_}). */
    public static Map<String, String> fromEnvironment(Map<String, String> env, String envPrefix) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(envPrefix) && k.length() > envPrefix.length()) {
                String name = k.substring(envPrefix.length())
                        .toLowerCase(Locale.ROOT)
                        .replace("__", "\u0000")
                        .replace('_', '.')
                        .replace('\u0000', '_');
                out.put(name, v);
            }
        });
        return out;
    }

    public static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of("cannot read configuration file " + file + ": " + e.getMessage()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(n -> out.put(n, p.getProperty(n).trim()));
        return out;
    }

    /** Parses every declared setting, collecting one message per bad or missing value and per unknown name. */
    public static Map<String, Object> validate(ConfigDef def, Map<String, String> raw) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            String value = raw.get(key.name);
            try {
                Object v;
                if (value == null) {
                    if (!key.hasDefault()) {
                        errors.add(key.name + ": required setting is missing (" + key.documentation + ")");
                        continue;
                    }
                    v = key.defaultValue;
                } else {
                    v = ConfigDef.parseType(key.name, value, key.type);
                }
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, v);
                }
                parsed.put(key.name, v);
            } catch (ConfigException e) {
                errors.add(key.name + ": " + e.getMessage());
            }
        }
        for (String name : raw.keySet()) {
            if (!def.configKeys().containsKey(name) && !isPassThrough(name)) {
                errors.add(name + ": unknown setting (known: "
                        + String.join(", ", def.configKeys().keySet()) + ")");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        // pass-through client settings (kafka.client.*, see isPassThrough) keep their raw value, unparsed
        raw.forEach((k, v) -> {
            if (isPassThrough(k)) {
                parsed.put(k, v);
            }
        });
        return parsed;
    }

    /** Names under {@code kafka.client.} are handed to Kafka clients unchanged (e.g. security settings). */
    static boolean isPassThrough(String name) {
        return name.startsWith("kafka.client.");
    }

    /** Pass-through Kafka client settings with the {@code kafka.client.} prefix removed. */
    public static Map<String, Object> kafkaClientOverrides(Map<String, Object> parsed) {
        Map<String, Object> out = new LinkedHashMap<>();
        parsed.forEach((k, v) -> {
            if (isPassThrough(k)) {
                out.put(k.substring("kafka.client.".length()), v);
            }
        });
        return out;
    }

    /** All configuration problems found at start-up, one message each. */
    public static final class InvalidConfigException extends RuntimeException {
        private final List<String> problems;

        public InvalidConfigException(List<String> problems) {
            super("invalid configuration:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
