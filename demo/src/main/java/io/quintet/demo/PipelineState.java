package io.quintet.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running local pipeline is made of, written by {@link PipelineProcesses} to
 * {@code <work>/}{@value #FILE_NAME} once its services run (and again whenever one is restarted), deleted when it
 * stops: the processes and how to start each one again, the broker and how to stop and start it, and what a client
 * needs (URLs, write key, the sink's configuration). {@code ./quintet chaos} reads it to attach to a kept
 * {@code ./quintet run --keep}; the run reads it when it stops, to stop services that chaos restarted. The file holds
 * the demo write key: it is readable by its owner only, like the rest of the work folder's secrets.
 *
 * @param version       {@value #VERSION}
 * @param runPid        the process that owns the pipeline (stops it on Ctrl-C)
 * @param keep          whether that process keeps the pipeline running after its demo ({@code --keep})
 * @param repo          the repository the services run from
 * @param work          the work folder (configs, state, warehouse, logs)
 * @param bootstrap     the broker's address
 * @param broker        how to stop and start the broker, or null when the pipeline uses a broker it did not start
 * @param gatewayPort   the gateway's HTTP port
 * @param feedsPort     the feed-aggregator's HTTP port
 * @param writeKey      the demo write key (bound to every source)
 * @param sinkConfig    the analytics sink's properties file (the table, for reading it back)
 * @param serviceEnv    the QUINTET_* and OTEL_* environment the services were started with
 * @param services      the services in start order ({@link PipelineProcesses#SERVICES})
 */
public record PipelineState(
        @JsonProperty("version") int version,
        @JsonProperty("run_pid") long runPid,
        @JsonProperty("keep") boolean keep,
        @JsonProperty("repo") String repo,
        @JsonProperty("work") String work,
        @JsonProperty("bootstrap") String bootstrap,
        @JsonProperty("broker") Broker broker,
        @JsonProperty("gateway_port") int gatewayPort,
        @JsonProperty("feeds_port") int feedsPort,
        @JsonProperty("write_key") String writeKey,
        @JsonProperty("sink_config") String sinkConfig,
        @JsonProperty("service_env") Map<String, String> serviceEnv,
        @JsonProperty("services") List<Service> services) {

    public static final String FILE_NAME = "pipeline-state.json";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public PipelineState {
        serviceEnv = serviceEnv == null ? Map.of() : Map.copyOf(serviceEnv);
        services = services == null ? List.of() : List.copyOf(services);
    }

    /**
     * The broker as deploy/bin/kafka-local.sh runs it: {@code env} ({@code QUINTET_KAFKA_PORT},
     * {@code QUINTET_KAFKA_CONTROLLER_PORT}, {@code QUINTET_KAFKA_DATA}, ...) given to {@code script stop} and
     * {@code script start}; {@code pid} when the state was written (the data folder's broker.pid has the current one).
     */
    public record Broker(
            @JsonProperty("script") String script,
            @JsonProperty("env") Map<String, String> env,
            @JsonProperty("pid") long pid) {
        public Broker {
            env = env == null ? Map.of() : Map.copyOf(env);
        }
    }

    /**
     * One service process: its pid, the whole command line that started it (run again from {@code repo} with
     * {@link PipelineState#serviceEnv()}, output appended to {@code log}), and its log.
     */
    public record Service(
            @JsonProperty("name") String name,
            @JsonProperty("pid") long pid,
            @JsonProperty("command") List<String> command,
            @JsonProperty("log") String log) {
        public Service {
            command = List.copyOf(command);
        }
    }

    /** The state file of a work folder. */
    public static Path file(Path work) {
        return work.resolve(FILE_NAME);
    }

    /** The service called {@code name}. */
    public Service service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + " in " + FILE_NAME));
    }

    /** This state with service {@code name} at a new pid. */
    public PipelineState withPid(String name, long pid) {
        return new PipelineState(
                version,
                runPid,
                keep,
                repo,
                work,
                bootstrap,
                broker,
                gatewayPort,
                feedsPort,
                writeKey,
                sinkConfig,
                serviceEnv,
                services.stream()
                        .map(s -> s.name().equals(name) ? new Service(s.name(), pid, s.command(), s.log()) : s)
                        .toList());
    }

    /** Writes the state to {@code <work>/}{@value #FILE_NAME} atomically (a reader sees the old or the new file). */
    public void write() throws IOException {
        Path file = file(Path.of(work));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on non-POSIX file systems
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The state of a work folder, empty when it has none; an unreadable or foreign file is an error. */
    public static Optional<PipelineState> read(Path work) throws IOException {
        Path file = file(work);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        PipelineState state;
        try {
            state = JSON.readValue(file.toFile(), PipelineState.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a pipeline state file: " + e.getMessage(), e);
        }
        if (state.version() != VERSION) {
            throw new IOException(file + " has version " + state.version() + "; this build reads version " + VERSION);
        }
        return Optional.of(state);
    }

    /** Deletes the state file of a work folder, if any. */
    public static void delete(Path work) throws IOException {
        Files.deleteIfExists(file(work));
    }
}
