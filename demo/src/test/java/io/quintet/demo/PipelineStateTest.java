package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file a local pipeline leaves in its work folder, for {@code ./quintet chaos --attach}. */
class PipelineStateTest {
    @TempDir
    Path work;

    PipelineState state() {
        return new PipelineState(
                PipelineState.VERSION,
                1234,
                true,
                "/repo",
                work.toString(),
                "127.0.0.1:19092",
                new PipelineState.Broker(
                        "/repo/deploy/bin/kafka-local.sh",
                        Map.of(
                                "QUINTET_KAFKA_PORT", "19092",
                                "QUINTET_KAFKA_CONTROLLER_PORT", "19093",
                                "QUINTET_KAFKA_DATA", "/repo/.quintet/kafka"),
                        777),
                18080,
                18083,
                "qk_secret",
                work.resolve("config/analytics-sink.properties").toString(),
                Map.of("QUINTET_SINK_BATCH_MAX_RECORDS", "500"),
                List.of(
                        new PipelineState.Service(
                                "gateway",
                                11,
                                List.of(
                                        "/jdk/bin/java",
                                        "-Dquintet.service=gateway",
                                        "-cp",
                                        "a:b",
                                        "Main",
                                        "--config",
                                        "g"),
                                work.resolve("logs/gateway.log").toString()),
                        new PipelineState.Service(
                                "enricher",
                                12,
                                List.of("/jdk/bin/java", "-Dquintet.service=enricher", "E", "e.properties"),
                                work.resolve("logs/enricher.log").toString())));
    }

    @Test
    void aWrittenStateReadsBackEqual() throws IOException {
        PipelineState s = state();
        s.write();
        assertThat(PipelineState.read(work)).contains(s);
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyForItHoldsTheWriteKey() throws IOException {
        state().write();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(PipelineState.file(work))))
                .isEqualTo("rw-------");
    }

    @Test
    void aRestartedServiceChangesItsPidOnly() throws IOException {
        PipelineState s = state();
        s.write();
        PipelineState after = PipelineState.read(work).orElseThrow().withPid("enricher", 99);
        after.write();
        PipelineState back = PipelineState.read(work).orElseThrow();
        assertThat(back.service("enricher").pid()).isEqualTo(99);
        assertThat(back.service("enricher").command())
                .isEqualTo(s.service("enricher").command());
        assertThat(back.service("gateway")).isEqualTo(s.service("gateway"));
        assertThat(back.broker()).isEqualTo(s.broker());
    }

    @Test
    void aFolderWithoutAStateFileHasNoneAndDeleteRemovesIt() throws IOException {
        assertThat(PipelineState.read(work)).isEmpty();
        state().write();
        PipelineState.delete(work);
        assertThat(PipelineState.read(work)).isEmpty();
    }

    @Test
    void aBrokenOrNewerFileIsAnErrorNamingIt() throws IOException {
        Files.writeString(PipelineState.file(work), "{not json");
        assertThatThrownBy(() -> PipelineState.read(work))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(PipelineState.FILE_NAME);
        Files.writeString(PipelineState.file(work), "{\"version\": 2}");
        assertThatThrownBy(() -> PipelineState.read(work)).hasMessageContaining("version 2");
    }

    @Test
    void servicesAreStartedWithTheOwnersQuintetAndOtelEnvironmentOnly() {
        assertThat(PipelineProcesses.serviceEnvironment(
                        Map.of("QUINTET_SINK_X", "1", "OTEL_SERVICE_NAME", "s", "HOME", "/h", "PATH", "/bin")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("QUINTET_SINK_X", "1", "OTEL_SERVICE_NAME", "s"));
    }
}
