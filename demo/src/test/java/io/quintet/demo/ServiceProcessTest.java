package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service process started by another process is found by its pid, checked to be that service, and killed. */
class ServiceProcessTest {
    @TempDir
    Path dir;

    @Test
    void aServiceStartedElsewhereIsAttachedByPidAndKilled() throws Exception {
        // the marker a service's command line carries, as $0 of a shell that sleeps
        List<String> command = List.of("sh", "-c", "sleep 60", "-Dquintet.service=probe");
        ServiceProcess started = ServiceProcess.exec(dir, "probe", command, Map.of(), dir.resolve("probe.log"));
        try {
            ServiceProcess attached = ServiceProcess.attach("probe", started.pid(), command, started.log());
            assertThat(attached.alive()).isTrue();
            attached.kill();
            assertThat(attached.alive()).isFalse();
            assertThat(started.alive()).isFalse();
        } finally {
            started.close();
        }
    }

    @Test
    void aPidThatIsNotThatServiceOrNotRunningIsRefused() throws Exception {
        long self = ProcessHandle.current().pid();
        assertThatThrownBy(() -> ServiceProcess.attach("gateway", self, List.of(), dir.resolve("g.log")))
                .hasMessageContaining("pid " + self + " is not gateway");
        ServiceProcess gone = ServiceProcess.exec(dir, "gone", List.of("true"), Map.of(), dir.resolve("gone.log"));
        gone.kill();
        assertThatThrownBy(() -> ServiceProcess.attach("gone", gone.pid(), List.of(), dir.resolve("gone.log")))
                .hasMessageContaining("is not running");
    }
}
