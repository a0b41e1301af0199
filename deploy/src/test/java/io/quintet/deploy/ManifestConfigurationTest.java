package io.quintet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.audit.keys.Ed25519;
import io.quintet.audit.keys.KeyFiles;
import io.quintet.audit.keys.PublicKeySet;
import io.quintet.console.ConsoleConfig;
import io.quintet.enricher.EnricherConfig;
import io.quintet.feeds.app.FeedAggregatorConfig;
import io.quintet.gateway.auth.WriteKey;
import io.quintet.gateway.auth.WriteKeyAuthenticator;
import io.quintet.gateway.config.GatewayConfig;
import io.quintet.sink.config.SinkConfig;
import io.quintet.support.auth.HashedApiKey;
import io.quintet.support.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Quintet container of the shipped deployments passes its service's start-up configuration validation with
 * exactly what its manifest gives it: the secrets come from one run of {@code deploy/bin/secrets.sh} (into a
 * temporary folder), the environment from the manifest (Compose: env_file + environment; Kubernetes: value,
 * secretKeyRef, configMapKeyRef, fieldRef, {@code $(VAR)} expansion), and every file path that points into a
 * mounted volume (Compose secrets and bind mounts, Kubernetes Secret / ConfigMap / PVC volumes) is redirected to the
 * file the mount would show. No broker, no container engine.
 */
class ManifestConfigurationTest {
    private static final Path COMPOSE = Path.of("compose/docker-compose.yaml");
    private static final Path K8S = Path.of("k8s/quintet.yaml");
    private static final Pattern MAIN = Pattern.compile("io\\.quintet\\.[A-Za-z0-9_.]+(Main|App)\\b");
    /** The image's own main class (Jib's entrypoint), per image name. */
    private static final Map<String, String> IMAGE_MAIN = Map.of(
            "ingest-gateway", "io.quintet.gateway.GatewayMain",
            "enricher", "io.quintet.enricher.EnricherApp",
            "feed-aggregator", "io.quintet.feeds.app.FeedAggregatorApp",
            "analytics-sink", "io.quintet.sink.app.AnalyticsSinkMain",
            "console", "io.quintet.console.ConsoleMain");

    @TempDir
    static Path tmp;

    static Path composeSecrets;
    static Path k8sSecrets;

    /** One container as its manifest describes it: the main it runs, its environment and its file mounts. */
    record Container(String where, String mainClass, Map<String, String> env, Map<String, Path> mounts) {
        /** The environment with every path under a mount point replaced by the local file the mount shows. */
        Map<String, String> localEnv() {
            Map<String, String> out = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                String local = v;
                for (var m : mounts.entrySet()) {
                    String point = m.getKey().endsWith("/") ? m.getKey() : m.getKey() + "/";
                    if (v.equals(m.getKey())) {
                        local = m.getValue().toString();
                    } else if (v.startsWith(point)) {
                        local = m.getValue()
                                .resolve(v.substring(point.length()))
                                .toString();
                    }
                }
                out.put(k, local);
            });
            return out;
        }
    }

    @BeforeAll
    static void generateSecrets() throws Exception {
        composeSecrets = tmp.resolve("secrets/compose");
        k8sSecrets = tmp.resolve("secrets/k8s");
        Process p = new ProcessBuilder(
                        "bash",
                        "bin/secrets.sh",
                        "--compose",
                        composeSecrets.toString(),
                        "--k8s",
                        k8sSecrets.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("deploy/bin/secrets.sh: " + output).isZero();
    }

    // ---- the checks

    @Test
    void everyComposeServicePassesItsConfigurationValidation() throws Exception {
        List<Container> containers = composeContainers();
        assertThat(containers)
                .extracting(Container::where)
                .containsExactlyInAnyOrder(
                        "compose ingest-gateway",
                        "compose enricher",
                        "compose feed-aggregator",
                        "compose analytics-sink",
                        "compose console",
                        "compose maintenance");
        containers.forEach(ManifestConfigurationTest::validate);
    }

    @Test
    void everyKubernetesWorkloadPassesItsConfigurationValidation() throws Exception {
        List<Container> containers = kubernetesContainers();
        assertThat(containers)
                .extracting(Container::where)
                .containsExactlyInAnyOrder(
                        "k8s Deployment ingest-gateway",
                        "k8s StatefulSet enricher",
                        "k8s StatefulSet feed-aggregator",
                        "k8s Deployment analytics-sink",
                        "k8s Deployment console",
                        "k8s CronJob table-maintenance");
        containers.forEach(ManifestConfigurationTest::validate);
    }

    @Test
    void bothDeploymentsRunTheEnricherWithPrivacyAndTheAuditChain() throws Exception {
        for (Container c : allContainers()) {
            if (c.mainClass().equals(IMAGE_MAIN.get("enricher"))) {
                EnricherConfig config = EnricherConfig.load(null, c.localEnv());
                assertThat(config.privacy()).as(c.where() + " privacy").isPresent();
                assertThat(config.auditChainer()).as(c.where() + " audit chain").isPresent();
            }
        }
    }

    @Test
    void bothDeploymentsGiveTheFeedApiTheGeneratedKeyAndTokenSecret() throws Exception {
        int checked = 0;
        for (Container c : allContainers()) {
            if (c.mainClass().equals(IMAGE_MAIN.get("feed-aggregator"))) {
                Path secrets = c.where().startsWith("compose") ? composeSecrets : k8sSecrets;
                String plain = properties(secrets.resolve("feed-api-keys.txt")).get("ops");
                FeedAggregatorConfig config = FeedAggregatorConfig.load(null, c.localEnv());
                assertThat(config.apiKeys())
                        .as(c.where() + ": the plain key of feed-api-keys.txt is admitted, with every scope")
                        .anySatisfy(k -> {
                            assertThat(k.sha256()).isEqualTo(io.quintet.feeds.app.http.ApiKey.sha256(plain));
                            assertThat(k.scopes()).hasSize(io.quintet.feeds.app.http.Scope.values().length);
                        });
                assertThat(config.tokenSecret()).as(c.where() + " token secret").isPresent();
                checked++;
            }
        }
        assertThat(checked)
                .as("feed-aggregator containers (Compose and Kubernetes)")
                .isEqualTo(2);
    }

    @Test
    void bothDeploymentsLetTheFeedApisOpsKeyLogInToTheConsoleAndGiveItTheAuditKeysAndAFeedKey() throws Exception {
        int checked = 0;
        for (Container c : allContainers()) {
            if (c.mainClass().equals(IMAGE_MAIN.get("console"))) {
                Path secrets = c.where().startsWith("compose") ? composeSecrets : k8sSecrets;
                String plain = properties(secrets.resolve("feed-api-keys.txt")).get("ops");
                ConsoleConfig config = ConsoleConfig.load(null, c.localEnv());
                assertThat(config.authEnabled()).as(c.where()).isTrue();
                assertThat(config.apiKeys())
                        .as(c.where() + ": the plain key of feed-api-keys.txt logs in, and may replay")
                        .anySatisfy(k -> {
                            assertThat(k.sha256()).isEqualTo(HashedApiKey.sha256(plain));
                            assertThat(k.scopes()).contains("console:read", "console:replay");
                        });
                // the console's own key for the feed API is one of the feed-aggregator's keys, and reads metrics
                FeedAggregatorConfig feeds = FeedAggregatorConfig.load(
                        null,
                        allContainers().stream()
                                .filter(f -> f.mainClass().equals(IMAGE_MAIN.get("feed-aggregator"))
                                        && f.where().startsWith(c.where().substring(0, 4)))
                                .findFirst()
                                .orElseThrow()
                                .localEnv());
                assertThat(feeds.apiKeys()).as(c.where() + " feeds.api.key").anySatisfy(k -> {
                    assertThat(k.sha256()).isEqualTo(HashedApiKey.sha256(config.feedsApiKey()));
                    assertThat(k.scopes())
                            .contains(
                                    io.quintet.feeds.app.http.Scope.METRICS_READ,
                                    io.quintet.feeds.app.http.Scope.FEEDS_READ_ANY);
                });
                assertThat(config.auditPublicKeys())
                        .as(c.where() + " audit public keys")
                        .isNotNull();
                assertThat(PublicKeySet.load(config.auditPublicKeys()))
                        .as(c.where())
                        .isNotNull();
                checked++;
            }
        }
        assertThat(checked).as("console containers (Compose and Kubernetes)").isEqualTo(2);
    }

    @Test
    void theEnricherAndTheSinkOpenTheirHealthAndMetricsPortInBothDeployments() throws Exception {
        for (Container c : allContainers()) {
            if (c.mainClass().equals(IMAGE_MAIN.get("enricher"))) {
                assertThat(EnricherConfig.load(null, c.localEnv()).healthPort())
                        .as(c.where())
                        .isPositive();
            } else if (c.mainClass().equals(IMAGE_MAIN.get("analytics-sink"))) {
                assertThat(SinkConfig.load(null, c.localEnv()).healthPort())
                        .as(c.where())
                        .isPositive();
            }
        }
    }

    @Test
    void bothDeploymentsScheduleTableMaintenance() throws Exception {
        assertThat(allContainers())
                .filteredOn(c -> c.mainClass().equals("io.quintet.sink.maintenance.MaintenanceMain"))
                .extracting(Container::where)
                .containsExactlyInAnyOrder("compose maintenance", "k8s CronJob table-maintenance");
        JsonNode cron = ManifestsTest.documents(K8S).stream()
                .filter(d -> d.path("kind").asText().equals("CronJob"))
                .findFirst()
                .orElseThrow();
        assertThat(cron.at("/spec/schedule").asText()).matches("\\S+ \\S+ \\S+ \\S+ \\S+");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
    }

    @Test
    void theEnricherWithoutItsGeneratedKeysFailsValidation() throws Exception {
        // proves the check is live: the shipped manifests before issue 19 gave the enricher no master keys
        Container enricher = composeContainers().stream()
                .filter(c -> c.where().equals("compose enricher"))
                .findFirst()
                .orElseThrow();
        Map<String, String> env = new HashMap<>(enricher.localEnv());
        env.remove("QUINTET_ENRICHER_PRIVACY_MASTER_KEYS_FILE");
        assertThatThrownBy(() -> validate(new Container("no keys", enricher.mainClass(), env, Map.of())))
                .isInstanceOf(ConfigLoader.InvalidConfigException.class)
                .hasMessageContaining("privacy.master.keys");
    }

    @Test
    void noSecretIsCommittedInTheManifests() throws Exception {
        for (Path f : List.of(COMPOSE, K8S)) {
            for (JsonNode d : ManifestsTest.documents(f)) {
                assertThat(d.path("kind").asText()).as(f + " holds a Secret").isNotEqualTo("Secret");
            }
            String text = Files.readString(f);
            assertThat(text)
                    .as(f + " holds a key")
                    .doesNotContainPattern("[A-Za-z0-9+/]{40,}={0,2}")
                    .doesNotContainPattern("[0-9a-f]{64}");
        }
        Path gitignore = Path.of("../.gitignore");
        assertThat(Files.readAllLines(gitignore))
                .as("deploy/secrets/ is ignored by git")
                .contains("deploy/secrets/");
    }

    @Test
    void theGeneratedKeysWorkTogether() throws Exception {
        for (Path dir : List.of(composeSecrets, k8sSecrets)) {
            // the signing key signs what the published public key verifies
            KeyFiles.Loaded signing = KeyFiles.read(dir.resolve("signing.keys"));
            byte[] message = "checkpoint".getBytes(StandardCharsets.UTF_8);
            byte[] signature = Ed25519.sign(Ed25519.privateKey(signing.keys().get(signing.active())), message);
            assertThat(PublicKeySet.load(dir.resolve("public-keys.json")).verify(signing.active(), message, signature))
                    .isEqualTo(PublicKeySet.Verdict.VALID);
            assertThat(KeyFiles.read(dir.resolve("hmac.keys")).keys().values())
                    .allSatisfy(k -> assertThat(k).hasSize(32));
        }
        // the plain write keys admit their producers; only privacy-ops may request erasures
        Map<String, String> plain = properties(composeSecrets.resolve("write-keys.txt"));
        GatewayConfig gateway = GatewayConfig.load(
                null,
                composeContainers().stream()
                        .filter(c -> c.where().equals("compose ingest-gateway"))
                        .findFirst()
                        .orElseThrow()
                        .localEnv());
        WriteKeyAuthenticator auth = new WriteKeyAuthenticator(gateway.writeKeys());
        WriteKey producer = auth.find(plain.get("producer")).orElseThrow();
        WriteKey ops = auth.find(plain.get("privacy-ops")).orElseThrow();
        assertThat(producer.id()).isEqualTo("producer");
        assertThat(producer.allows("any-service")).isTrue();
        assertThat(producer.mayErase()).isFalse();
        assertThat(ops.mayErase()).isTrue();
        // the two deployments get keys of their own
        assertThat(Files.readString(composeSecrets.resolve("master.keys")))
                .isNotEqualTo(Files.readString(k8sSecrets.resolve("master.keys")));
    }

    @Test
    void theGeneratorNeverOverwritesKeys() throws Exception {
        Path dir = tmp.resolve("again");
        assertThat(run("bash", "bin/secrets.sh", "--compose", dir.toString())).isZero();
        String master = Files.readString(dir.resolve("master.keys"));
        assertThat(run("bash", "bin/secrets.sh", "--compose", dir.toString())).isNotZero();
        assertThat(Files.readString(dir.resolve("master.keys"))).isEqualTo(master);
    }

    // ---- validation: what each main does with its configuration before it connects to anything

    static void validate(Container c) {
        Map<String, String> env = c.localEnv();
        env.forEach((k, v) -> assertThat(v)
                .as(c.where() + " " + k + " depends on the host's environment")
                .doesNotContain("${"));
        try {
            switch (c.mainClass()) {
                case "io.quintet.gateway.GatewayMain" -> GatewayConfig.load(null, env);
                case "io.quintet.enricher.EnricherApp" -> {
                    EnricherConfig config = EnricherConfig.load(null, env);
                    config.settings();
                    config.streamsProperties();
                }
                case "io.quintet.feeds.app.FeedAggregatorApp" -> FeedAggregatorConfig.load(null, env);
                case "io.quintet.sink.app.AnalyticsSinkMain", "io.quintet.sink.maintenance.MaintenanceMain" ->
                    SinkConfig.load(null, env);
                case "io.quintet.console.ConsoleMain" -> ConsoleConfig.load(null, env);
                default -> throw new AssertionError(c.where() + ": no validation known for " + c.mainClass());
            }
        } catch (ConfigLoader.InvalidConfigException e) {
            throw new ConfigLoader.InvalidConfigException(
                    e.problems().stream().map(p -> c.where() + ": " + p).toList());
        }
    }

    // ---- Compose

    static List<Container> composeContainers() throws Exception {
        JsonNode compose = ManifestsTest.documents(COMPOSE).get(0);
        Path composeDir = COMPOSE.getParent();
        List<Container> out = new ArrayList<>();
        var it = compose.path("services").fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode svc = e.getValue();
            String image = svc.path("image").asText();
            Optional<String> main = mainOf(image, svc.path("entrypoint"));
            if (main.isEmpty()) {
                continue; // Kafka, and the topics job (command-line arguments, no configuration)
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode f : svc.path("env_file")) {
                env.putAll(properties(hostPath(composeDir, f.asText())));
            }
            JsonNode environment = svc.path("environment");
            if (environment.isArray()) {
                environment.forEach(
                        kv -> env.put(kv.asText().split("=", 2)[0], kv.asText().split("=", 2)[1]));
            } else {
                environment
                        .fields()
                        .forEachRemaining(
                                kv -> env.put(kv.getKey(), kv.getValue().asText()));
            }
            Map<String, Path> mounts = new LinkedHashMap<>();
            for (JsonNode s : svc.path("secrets")) {
                String name = s.isTextual() ? s.asText() : s.path("source").asText();
                String target = s.isTextual()
                        ? "/run/secrets/" + name
                        : s.path("target").asText("/run/secrets/" + name);
                String file = compose.at("/secrets/" + name + "/file").asText();
                assertThat(file).as("compose secret " + name + " has a file").isNotBlank();
                mounts.put(target, hostPath(composeDir, file));
            }
            for (JsonNode v : svc.path("volumes")) {
                String[] parts = v.asText().split(":");
                Path source = parts[0].startsWith(".") || parts[0].startsWith("/")
                        ? hostPath(composeDir, parts[0])
                        : Files.createDirectories(tmp.resolve("volumes/" + parts[0]));
                mounts.put(parts[1], source);
            }
            out.add(new Container("compose " + e.getKey(), main.get(), env, mounts));
        }
        return out;
    }

    /** A host path of the Compose file; the generated secrets folder is where this test's secrets.sh wrote them. */
    private static Path hostPath(Path composeDir, String path) {
        String secrets = "../secrets/compose/";
        return path.startsWith(secrets)
                ? composeSecrets.resolve(path.substring(secrets.length()))
                : composeDir.resolve(path).normalize();
    }

    // ---- Kubernetes

    static List<Container> kubernetesContainers() throws Exception {
        List<JsonNode> docs = new ArrayList<>(ManifestsTest.documents(K8S));
        docs.addAll(ManifestsTest.documents(k8sSecrets.resolve("quintet-secrets.yaml")));
        Map<String, Map<String, String>> secrets = new HashMap<>();
        Map<String, Map<String, String>> configMaps = new HashMap<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("Secret") || kind.equals("ConfigMap")) {
                Map<String, String> data = new LinkedHashMap<>();
                d.path("data")
                        .fields()
                        .forEachRemaining(kv -> data.put(
                                kv.getKey(),
                                kind.equals("Secret")
                                        ? new String(
                                                Base64.getDecoder()
                                                        .decode(kv.getValue().asText()),
                                                StandardCharsets.UTF_8)
                                        : kv.getValue().asText()));
                d.path("stringData")
                        .fields()
                        .forEachRemaining(
                                kv -> data.put(kv.getKey(), kv.getValue().asText()));
                (kind.equals("Secret") ? secrets : configMaps)
                        .put(d.at("/metadata/name").asText(), data);
            }
        }
        List<Container> out = new ArrayList<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            JsonNode pod = switch (kind) {
                case "Deployment", "StatefulSet" -> d.at("/spec/template/spec");
                case "CronJob" -> d.at("/spec/jobTemplate/spec/template/spec");
                default -> null;
            };
            if (pod == null) {
                continue;
            }
            String name = d.at("/metadata/name").asText();
            Map<String, Path> volumes = new HashMap<>();
            for (JsonNode v : pod.path("volumes")) {
                Path dir = Files.createDirectories(
                        tmp.resolve("k8s-volumes/" + name + "/" + v.path("name").asText()));
                Map<String, String> files = v.has("secret")
                        ? secrets.get(v.at("/secret/secretName").asText())
                        : v.has("configMap")
                                ? configMaps.get(v.at("/configMap/name").asText())
                                : Map.of();
                assertThat(files)
                        .as(name + " volume " + v.path("name").asText() + " refers to a known object")
                        .isNotNull();
                for (var f : files.entrySet()) {
                    Files.writeString(dir.resolve(f.getKey()), f.getValue());
                }
                volumes.put(v.path("name").asText(), dir);
            }
            for (JsonNode claim : d.at("/spec/volumeClaimTemplates")) {
                volumes.put(
                        claim.at("/metadata/name").asText(),
                        Files.createDirectories(tmp.resolve("k8s-volumes/" + name + "/"
                                + claim.at("/metadata/name").asText())));
            }
            for (JsonNode c : pod.path("containers")) {
                Optional<String> main = mainOf(c.path("image").asText(), c.path("command"));
                if (main.isEmpty()) {
                    continue;
                }
                Map<String, String> env = new LinkedHashMap<>();
                for (JsonNode e : c.path("env")) {
                    env.put(e.path("name").asText(), envValue(name, e, env, secrets, configMaps));
                }
                Map<String, Path> mounts = new LinkedHashMap<>();
                for (JsonNode m : c.path("volumeMounts")) {
                    Path source = volumes.get(m.path("name").asText());
                    assertThat(source)
                            .as(name + " mounts a declared volume "
                                    + m.path("name").asText())
                            .isNotNull();
                    mounts.put(m.path("mountPath").asText(), source);
                }
                out.add(new Container("k8s " + kind + " " + name, main.get(), env, mounts));
            }
        }
        return out;
    }

    private static String envValue(
            String workload,
            JsonNode e,
            Map<String, String> earlier,
            Map<String, Map<String, String>> secrets,
            Map<String, Map<String, String>> configMaps) {
        String name = e.path("name").asText();
        if (e.has("value")) {
            // $(VAR) refers to a variable defined earlier in the list (Kubernetes' dependent environment variables)
            Matcher m = Pattern.compile("\\$\\(([A-Za-z0-9_]+)\\)")
                    .matcher(e.path("value").asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                assertThat(earlier)
                        .as(workload + " " + name + " refers to $(" + m.group(1) + ")")
                        .containsKey(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(earlier.get(m.group(1))));
            }
            return m.appendTail(sb).toString();
        }
        JsonNode from = e.path("valueFrom");
        if (from.has("secretKeyRef") || from.has("configMapKeyRef")) {
            JsonNode ref = from.has("secretKeyRef") ? from.get("secretKeyRef") : from.get("configMapKeyRef");
            Map<String, String> data = (from.has("secretKeyRef") ? secrets : configMaps)
                    .get(ref.path("name").asText());
            assertThat(data)
                    .as(workload + " " + name + ": object " + ref.path("name").asText() + " exists")
                    .isNotNull();
            assertThat(data)
                    .as(workload + " " + name)
                    .containsKey(ref.path("key").asText());
            return data.get(ref.path("key").asText());
        }
        if (from.has("fieldRef")) {
            return workload + "-0";
        }
        throw new AssertionError(workload + " " + name + ": unsupported env entry " + e);
    }

    // ---- helpers

    private static Optional<String> mainOf(String image, JsonNode command) {
        if (!image.startsWith("quintet/")) {
            return Optional.empty();
        }
        Matcher m = MAIN.matcher(command.isMissingNode() ? "" : command.toString());
        if (m.find()) {
            return Optional.of(m.group());
        }
        return Optional.ofNullable(IMAGE_MAIN.get(image.substring("quintet/".length(), image.indexOf(':'))));
    }

    private static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return out;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static List<Container> allContainers() throws Exception {
        List<Container> all = new ArrayList<>(composeContainers());
        all.addAll(kubernetesContainers());
        return all;
    }
}
