package io.quintet.audit;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Configuration of the audit tools ({@link VerifyMain}, {@link ExportMain}): defaults, then the properties file
 * given with {@code --config}, then {@code QUINTET_AUDIT_*} environment variables, then command-line options.
 * See {@code audit/config/audit.properties.sample}.
 */
public record ToolConfig(
        String bootstrapServers,
        String topicPrefix,
        String publicKeysFile,
        String hmacKeysFile,
        Duration idleTimeout,
        Map<String, Object> clientOverrides) {
    public static final String ENV_PREFIX = "QUINTET_AUDIT_";
    public static final String BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String TOPIC_PREFIX = "topics.prefix";
    public static final String PUBLIC_KEYS = "audit.public.keys.file";
    public static final String HMAC_KEYS = "audit.hmac.keys.file";
    public static final String IDLE_TIMEOUT = "verify.idle.timeout.ms";

    public static final ConfigDef DEF = new ConfigDef()
            .define(
                    BOOTSTRAP,
                    ConfigDef.Type.STRING,
                    "127.0.0.1:9092",
                    ConfigDef.Importance.HIGH,
                    "Kafka bootstrap servers")
            .define(
                    TOPIC_PREFIX,
                    ConfigDef.Type.STRING,
                    "",
                    ConfigDef.Importance.MEDIUM,
                    "prefix of Quintet's topic names")
            .define(
                    PUBLIC_KEYS,
                    ConfigDef.Type.STRING,
                    "",
                    ConfigDef.Importance.HIGH,
                    "published checkpoint keys (JWKS of Ed25519 keys); required to verify")
            .define(
                    HMAC_KEYS,
                    ConfigDef.Type.STRING,
                    "",
                    ConfigDef.Importance.MEDIUM,
                    "HMAC chain key file; empty: chain hashes are not recomputed (events are checked against checkpoints)")
            .define(
                    IDLE_TIMEOUT,
                    ConfigDef.Type.LONG,
                    30_000L,
                    ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.LOW,
                    "give up when reading Kafka makes no progress for this long (ms)");

    /**
     * @param file      properties file, or null
     * @param overrides settings given on the command line (same names)
     */
    public static ToolConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> raw = new HashMap<>();
        if (file != null) {
            raw.putAll(ConfigLoader.readProperties(file));
        }
        raw.putAll(ConfigLoader.fromEnvironment(env, ENV_PREFIX));
        raw.putAll(overrides);
        Map<String, Object> parsed = ConfigLoader.validate(DEF, raw);
        return new ToolConfig(
                (String) parsed.get(BOOTSTRAP),
                (String) parsed.get(TOPIC_PREFIX),
                (String) parsed.get(PUBLIC_KEYS),
                (String) parsed.get(HMAC_KEYS),
                Duration.ofMillis((Long) parsed.get(IDLE_TIMEOUT)),
                ConfigLoader.kafkaClientOverrides(parsed));
    }

    public TopicCatalogue catalogue() {
        return TopicCatalogue.of(topicPrefix, 1, (short) 1);
    }

    public String eventsTopic() {
        return catalogue().name(TopicCatalogue.EVENTS_CANONICAL);
    }

    public String checkpointsTopic() {
        return catalogue().name(TopicCatalogue.AUDIT_CHECKPOINTS);
    }

    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>(clientOverrides);
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }
}
