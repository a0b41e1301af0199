package io.quintet.demo;

import io.quintet.model.topics.TopicCatalogue;
import io.quintet.support.topics.TopicsTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * The processes of the whole pipeline as {@code ./quintet run} deploys it: a real Kafka broker as its own process
 * (deploy/bin/kafka-local.sh, or an existing broker), the topic catalogue, and the ingest gateway, the enricher, the
 * feed-aggregator and the analytics sink as separate JVMs with their default configuration plus what
 * {@link ServiceConfigs} sets (exactly-once, privacy on, audit chain on). Used by {@link LocalPipeline} and by the
 * pipeline benchmark. {@link #close()} stops the services and, if it started it, the broker.
 *
 * <p>Once its services run it writes {@link PipelineState} to the work folder (again after each restart) and deletes
 * it on close. {@link #attach(PipelineState)} makes one from such a file for another process ({@code ./quintet chaos}
 * against a kept {@code ./quintet run}): it kills and restarts those processes the same way and leaves them running
 * when it is closed; the owner, when it stops, also stops the services restarted by the attached process.
 */
public final class PipelineProcesses implements AutoCloseable {
    public static final String ENRICHER_APP = "quintet-enricher";
    public static final String FEEDS_APP = "quintet-feed-aggregator";
    public static final String SINK_GROUP = "quintet-analytics-sink";

    /** The service names, in start order (also the names of their logs). */
    public static final List<String> SERVICES = List.of("gateway", "enricher", "feed-aggregator", "analytics-sink");

    private final PipelineSettings settings;
    private final Map<String, String> brokerEnv;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceSpec> specs = new ArrayList<>();
    /** The command line of each service, in {@link #SERVICES} order (a restart runs it again). */
    private final List<List<String>> commands = new ArrayList<>();
    /** Attached to a pipeline another process owns ({@link #attach}): close() leaves it running. */
    private final boolean attached;
    /** Owned: this process's QUINTET_* and OTEL_* environment; attached: the owner's (from the state file). */
    private final Map<String, String> serviceEnv;

    private Path sinkConfig;
    private ServiceProcess console;
    private String bootstrap;
    private boolean startedBroker;
    private String writeKey;
    private ServiceConfigs configs;

    /**
     * @param brokerEnv settings of deploy/bin/kafka-local.sh when it starts the broker ({@code QUINTET_KAFKA_PORT},
     *                  {@code QUINTET_KAFKA_CONTROLLER_PORT}, {@code QUINTET_KAFKA_DATA}, ...), on top of this
     *                  process's environment
     */
    public PipelineProcesses(PipelineSettings settings, Map<String, String> brokerEnv) {
        this.settings = settings;
        this.brokerEnv = Map.copyOf(brokerEnv);
        this.attached = false;
        this.serviceEnv = serviceEnvironment(System.getenv());
    }

    private PipelineProcesses(PipelineState state) {
        Path repo = Path.of(state.repo());
        this.settings = new PipelineSettings(
                repo,
                Path.of(state.work()),
                state.bootstrap(),
                state.gatewayPort(),
                state.feedsPort(),
                1,
                Duration.ZERO,
                2,
                0,
                true);
        this.brokerEnv = state.broker() == null ? Map.of() : state.broker().env();
        this.attached = true;
        this.serviceEnv = state.serviceEnv();
        this.startedBroker = state.broker() != null;
        this.bootstrap = state.bootstrap();
        this.writeKey = state.writeKey();
        this.sinkConfig = Path.of(state.sinkConfig());
        for (String name : SERVICES) {
            PipelineState.Service s = state.service(name);
            commands.add(s.command());
            services.add(ServiceProcess.attach(name, s.pid(), s.command(), Path.of(s.log())));
        }
    }

    /**
     * The pipeline a state file describes, run by another process: fails when one of its services is not running.
     * Kills and restarts its services and stops and starts its broker (when that process started the broker) as the
     * owner would; {@link #close()} leaves everything running.
     */
    public static PipelineProcesses attach(PipelineState state) {
        return new PipelineProcesses(state);
    }

    /** The variables of an environment that the services read: QUINTET_* and OTEL_*. */
    static Map<String, String> serviceEnvironment(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("QUINTET_") || k.startsWith("OTEL_")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The environment a service is started with, on top of this process's: the owner's QUINTET_* and OTEL_*
     * variables, and none of this process's own that the owner did not have.
     */
    private Map<String, String> launchEnvironment() {
        Map<String, String> env = new HashMap<>();
        serviceEnvironment(System.getenv()).keySet().forEach(k -> env.put(k, null));
        env.putAll(serviceEnv);
        return env;
    }

    /** What {@link PipelineState} says about this pipeline now. */
    public PipelineState state() {
        PipelineState.Broker broker = null;
        if (startedBroker) {
            Map<String, String> env = new java.util.TreeMap<>(brokerEnv);
            String port = brokerSetting("QUINTET_KAFKA_PORT", "9092");
            env.put("QUINTET_KAFKA_PORT", port);
            env.put(
                    "QUINTET_KAFKA_CONTROLLER_PORT",
                    brokerSetting("QUINTET_KAFKA_CONTROLLER_PORT", String.valueOf(Integer.parseInt(port) + 1)));
            env.put("QUINTET_KAFKA_DATA", brokerData().toString());
            String heap = brokerSetting("QUINTET_KAFKA_HEAP", null);
            if (heap != null) {
                env.put("QUINTET_KAFKA_HEAP", heap);
            }
            broker = new PipelineState.Broker(
                    settings.repo().resolve("deploy/bin/kafka-local.sh").toString(), env, brokerPid());
        }
        List<PipelineState.Service> list = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            ServiceProcess p = services.get(i);
            list.add(new PipelineState.Service(
                    SERVICES.get(i), p.pid(), commands.get(i), p.log().toString()));
        }
        return new PipelineState(
                PipelineState.VERSION,
                ProcessHandle.current().pid(),
                settings.keep(),
                settings.repo().toString(),
                settings.work().toString(),
                bootstrap,
                broker,
                settings.gatewayPort(),
                settings.feedsPort(),
                writeKey,
                sinkConfig().toString(),
                serviceEnv,
                list);
    }

    /** Writes {@link #state()} to the work folder, keeping the owner's pid and keep flag when attached. */
    private void writeState() throws IOException {
        PipelineState now = state();
        if (attached) {
            PipelineState.read(settings.work())
                    .map(owner -> {
                        PipelineState s = owner;
                        for (PipelineState.Service svc : now.services()) {
                            s = s.withPid(svc.name(), svc.pid());
                        }
                        return s;
                    })
                    .orElse(now)
                    .write();
        } else {
            now.write();
        }
    }

    /** The analytics sink's properties file. */
    public Path sinkConfig() {
        return configs != null ? configs.sink() : sinkConfig;
    }

    /** Starts (or connects to) the broker, creates the topics and starts the four services; waits until they run. */
    public void start() throws Exception {
        Files.createDirectories(settings.logs());
        bootstrap = settings.bootstrap();
        if (bootstrap == null) {
            step("starting the Kafka broker (deploy/bin/kafka-local.sh)");
            runBrokerScript("start");
            startedBroker = true;
            bootstrap = "127.0.0.1:" + brokerSetting("QUINTET_KAFKA_PORT", "9092");
        }
        step("creating the topic catalogue on " + bootstrap);
        try (Admin admin = admin()) {
            TopicsTool.Report report = TopicsTool.ensure(admin, TopicCatalogue.defaults(), false);
            System.out.println("  " + topicStep(report));
        }
        writeKey = newWriteKey();
        configs = new ServiceConfigs(settings, bootstrap, sha256(writeKey));
        Path logs = settings.logs();
        step("starting services (logs in " + logs + ")");
        specs.add(new ServiceSpec(
                "ingest-gateway",
                "io.quintet.gateway.GatewayMain",
                List.of("--config", configs.gateway().toString()),
                "384m"));
        specs.add(new ServiceSpec(
                "enricher",
                "io.quintet.enricher.EnricherApp",
                List.of(configs.enricher().toString()),
                "512m"));
        specs.add(new ServiceSpec(
                "feed-aggregator",
                "io.quintet.feeds.app.FeedAggregatorApp",
                List.of(configs.feeds().toString()),
                "512m"));
        specs.add(new ServiceSpec(
                "analytics-sink",
                "io.quintet.sink.app.AnalyticsSinkMain",
                List.of(configs.sink().toString()),
                "512m"));
        for (int i = 0; i < specs.size(); i++) {
            services.add(launch(i));
        }
        // the web console (not one of SERVICES: chaos and benchmarks leave it out) starts alongside the services, so
        // that its start-up costs no time once they run
        if (settings.withConsole()) {
            console = ServiceProcess.start(
                    settings.repo(),
                    "console",
                    "console",
                    "io.quintet.console.ConsoleMain",
                    List.of("--config", configs.console().toString()),
                    Map.of(),
                    settings.logs(),
                    "256m");
        }
        Duration startup = Duration.ofSeconds(180);
        for (int i = 0; i < specs.size(); i++) {
            awaitRunning(i, startup);
        }
        if (console != null) {
            console.awaitHttpOk(settings.consoleUrl() + "/healthz", startup);
            System.out.println("  console ready at " + settings.consoleUrl()
                    + "/  (open it in a browser; log in with the feed API key " + configs.feedsKey() + ")");
        }
        writeState();
    }

    /** How a service is started: its module, main class, arguments and heap. */
    private record ServiceSpec(String module, String mainClass, List<String> args, String heap) {}

    private ServiceProcess launch(int i) throws IOException {
        if (commands.size() == i) {
            ServiceSpec spec = specs.get(i);
            commands.add(ServiceProcess.command(
                    settings.repo(), spec.module(), SERVICES.get(i), spec.mainClass(), spec.args(), spec.heap()));
        }
        return ServiceProcess.exec(
                settings.repo(),
                SERVICES.get(i),
                commands.get(i),
                launchEnvironment(),
                settings.logs().resolve(SERVICES.get(i) + ".log"));
    }

    /** Waits until service {@code i} serves (gateway, feed-aggregator) and its consumer group is stable. */
    private void awaitRunning(int i, Duration timeout) throws Exception {
        ServiceProcess p = services.get(i);
        switch (SERVICES.get(i)) {
            case "gateway" -> {
                p.awaitHttpOk(settings.gatewayUrl() + "/readyz", timeout);
                System.out.println("  gateway ready at " + settings.gatewayUrl());
            }
            case "enricher" -> {
                awaitGroup(ENRICHER_APP, p, timeout);
                System.out.println("  enricher running");
            }
            case "feed-aggregator" -> {
                p.awaitHttpOk(settings.feedsUrl() + "/health", timeout);
                awaitGroup(FEEDS_APP, p, timeout);
                System.out.println("  feed-aggregator running at " + settings.feedsUrl());
            }
            default -> {
                awaitGroup(SINK_GROUP, p, timeout);
                System.out.println("  analytics-sink running"
                        + (configs != null ? " (warehouse " + configs.warehouse() + ")" : ""));
            }
        }
    }

    /** SIGKILLs service {@code name} ({@link #SERVICES}): no shutdown hook, nothing flushed or committed. */
    public synchronized void kill(String name) throws InterruptedException {
        services.get(index(name)).kill();
    }

    /** Starts service {@code name} again as it was started first, and waits until it runs. */
    public void restart(String name, Duration timeout) throws Exception {
        int i = index(name);
        synchronized (this) {
            if (services.get(i).alive()) {
                throw new IllegalStateException(name + " is still running");
            }
            services.set(i, launch(i));
            writeState();
        }
        awaitRunning(i, timeout);
    }

    private static int index(String name) {
        int i = SERVICES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no service " + name + "; one of " + SERVICES);
        }
        return i;
    }

    /** Stops the broker this started (deploy/bin/kafka-local.sh stop); the services keep running. */
    public void stopBroker() throws IOException, InterruptedException {
        requireOwnBroker();
        runBrokerScript("stop");
    }

    /** Starts the broker this stopped again, on the same data folder and port; waits until it serves metadata. */
    public void startBroker() throws IOException, InterruptedException {
        requireOwnBroker();
        runBrokerScript("start");
    }

    private void requireOwnBroker() {
        if (!startedBroker) {
            throw new IllegalStateException(
                    "the broker was not started by this pipeline (--bootstrap): it cannot stop it");
        }
    }

    private void awaitGroup(String groupId, ServiceProcess process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.alive()) {
                    throw new IllegalStateException(
                            process.name() + " exited during start-up; see " + process.log() + process.logTail());
                }
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId))
                            .describedGroups()
                            .get(groupId)
                            .get(5, TimeUnit.SECONDS);
                    if (d.groupState() == GroupState.STABLE && !d.members().isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the group does not exist until the service has joined: keep polling until the deadline
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        throw new IllegalStateException(process.name() + " did not join consumer group " + groupId + " within "
                + timeout.toSeconds() + " s; see " + process.log());
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String writeKey() {
        return writeKey;
    }

    public ServiceConfigs configs() {
        return configs;
    }

    public PipelineSettings settings() {
        return settings;
    }

    /** The running services, in {@link #SERVICES} order. */
    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** Pid of the broker this started (from kafka-local.sh's pid file), or 0 when it uses an existing broker. */
    public long brokerPid() {
        if (!startedBroker) {
            return 0;
        }
        Path data = brokerData();
        try {
            return Long.parseLong(Files.readString(data.resolve("broker.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private Path brokerData() {
        return Path.of(brokerSetting(
                "QUINTET_KAFKA_DATA", settings.repo().resolve(".quintet/kafka").toString()));
    }

    /**
     * Owned: stops the console, the services (also those another process restarted, found in the state file) and,
     * if this started it, the broker, and deletes the state file. Attached: leaves everything running.
     */
    @Override
    public synchronized void close() {
        if (attached) {
            return;
        }
        stopRestartedElsewhere();
        if (console != null) {
            console.close();
            console = null;
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (startedBroker) {
            try {
                runBrokerScript("stop");
            } catch (Exception e) {
                System.err.println("quintet: could not stop the broker: " + e.getMessage());
            }
            startedBroker = false;
        }
        try {
            PipelineState.delete(settings.work());
        } catch (IOException e) {
            System.err.println("quintet: could not delete " + PipelineState.file(settings.work()) + ": " + e);
        }
    }

    /** Stops the services that the state file names at a pid other than this process's own (restarted by chaos). */
    private void stopRestartedElsewhere() {
        PipelineState state;
        try {
            state = PipelineState.read(settings.work()).orElse(null);
        } catch (IOException e) {
            System.err.println("quintet: " + e.getMessage());
            return;
        }
        if (state == null || state.runPid() != ProcessHandle.current().pid()) {
            return;
        }
        for (int i = 0; i < services.size(); i++) {
            PipelineState.Service s = state.service(SERVICES.get(i));
            if (s.pid() != services.get(i).pid()) {
                try {
                    ServiceProcess.attach(s.name(), s.pid(), s.command(), Path.of(s.log()))
                            .close();
                } catch (IllegalStateException notRunning) {
                    System.err.println("quintet: " + notRunning.getMessage());
                }
            }
        }
    }

    private String brokerSetting(String name, String defaultValue) {
        String v = brokerEnv.get(name);
        return v != null ? v : System.getenv().getOrDefault(name, defaultValue);
    }

    private void runBrokerScript(String command) throws IOException, InterruptedException {
        List<String> cmd =
                List.of(settings.repo().resolve("deploy/bin/kafka-local.sh").toString(), command);
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(settings.repo().toFile()).inheritIO();
        // the four services (and their restarts under chaos) load a small machine: give the broker time to get ready
        pb.environment().putIfAbsent("QUINTET_KAFKA_START_SECONDS", "300");
        pb.environment().putAll(new HashMap<>(brokerEnv));
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue());
        }
    }

    static void step(String what) {
        System.out.println("==> " + what);
    }

    static String newWriteKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "qk_" + HexFormat.of().formatHex(b);
    }

    static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The topic step's line: how many topics were created and how many existed (TopicsTool lists them apart). */
    static String topicStep(TopicsTool.Report report) {
        String line = report.created().size() + " created, " + report.existing().size() + " already there";
        return report.drift().isEmpty() ? line : line + "; drift from the catalogue: " + report.drift();
    }
}
