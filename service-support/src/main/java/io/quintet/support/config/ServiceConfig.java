package io.quintet.support.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The base of every service's configuration: Kafka's {@link AbstractConfig} over the service's {@link ConfigDef}, so
 * a setting is read with a typed getter ({@code getString}, {@code getInt}, {@code getList}, {@code getPassword}...)
 * instead of a cast, and the pass-through {@value #KAFKA_CLIENT_PREFIX}{@code *} settings come from
 * {@link #originalsWithPrefix}. The raw settings are checked by {@link ConfigLoader#validate} first, so every bad,
 * missing or unknown setting is still reported at once, each with its own message.
 */
public abstract class ServiceConfig extends AbstractConfig {
    /** Settings under this prefix are handed to the service's Kafka clients unchanged, the prefix removed. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    /**
     * @param raw setting name to its text (a file, then the environment: {@link ConfigLoader#raw}); the defaults
     *            apply to everything not given
     * @throws ConfigLoader.InvalidConfigException naming every problem
     */
    protected ServiceConfig(ConfigDef definition, Map<String, String> raw) {
        super(definition, checked(definition, raw), false);
    }

    private static Map<String, String> checked(ConfigDef definition, Map<String, String> raw) {
        ConfigLoader.validate(definition, raw);
        return raw;
    }

    /** {@value #KAFKA_CLIENT_PREFIX}{@code *} settings with the prefix removed, their values as given (text). */
    public Map<String, Object> kafkaClientOverrides() {
        return new LinkedHashMap<>(originalsWithPrefix(KAFKA_CLIENT_PREFIX));
    }

    /** A {@code LONG} setting in milliseconds as a duration. */
    protected Duration getMillis(String name) {
        return Duration.ofMillis(getLong(name));
    }

    /** A {@code PASSWORD} setting's value. */
    protected String getSecret(String name) {
        return getPassword(name).value();
    }
}
