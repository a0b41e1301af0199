package io.quintet.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.demo.GatewayClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ./quintet chaos}'s options and its verdict over the counted ids, without a pipeline. */
class ChaosVerdictTest {
    final OutageProbe idleProbe = new OutageProbe(new GatewayClient("http://127.0.0.1:1", "unused"), 1000);

    @Test
    void everyAcceptedIdOnceDownstreamPasses() {
        List<String> canonical = List.of("a", "b", "emitted-by-the-pipeline");
        IdAccounting ids = IdAccounting.count(Set.of("a", "b", "c"), canonical, List.of("c"), canonical);
        assertThat(ChaosMain.verdict(ids, canonical, idleProbe)).isTrue();
    }

    @Test
    void anIdTwiceOnTheCanonicalTopicFailsEvenWhenTheGatewayNeverAcknowledgedIt() {
        List<String> canonical = List.of("a", "x", "x");
        IdAccounting ids = IdAccounting.count(Set.of("a"), canonical, List.of(), List.of("a", "x"));
        assertThat(ids.ok()).as("the accepted ids alone count fine").isTrue();
        assertThat(ChaosMain.verdict(ids, canonical, idleProbe)).isFalse();
    }

    @Test
    void anAcknowledgedIdMissingDownstreamFails() {
        List<String> canonical = List.of("a");
        IdAccounting ids = IdAccounting.count(Set.of("a", "lost"), canonical, List.of(), canonical);
        assertThat(ChaosMain.verdict(ids, canonical, idleProbe)).isFalse();
    }

    @Test
    void optionsHaveDefaultsAndUnknownOnesAreRefused() {
        ChaosSettings defaults = ChaosSettings.parse(new String[0]);
        assertThat(defaults.rate()).isEqualTo(100);
        assertThat(defaults.downtime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ChaosSettings.parse(new String[] {"--rate", "20", "--down-seconds", "3", "--keep"}))
                .satisfies(s -> assertThat(s.rate()).isEqualTo(20))
                .satisfies(s -> assertThat(s.downtime()).isEqualTo(Duration.ofSeconds(3)))
                .satisfies(s -> assertThat(s.keep()).isTrue());
        assertThatThrownBy(() -> ChaosSettings.parse(new String[] {"--bogus"}))
                .hasMessageContaining("Unknown option: '--bogus'");
        assertThatThrownBy(() -> ChaosSettings.parse(new String[] {"--rate", "0"}))
                .hasMessageContaining("--rate");
    }

    @Test
    void attachTakesAnOptionalWorkFolderAndExcludesOwn() {
        assertThat(ChaosSettings.parse(new String[0]).attach()).as("not given").isNull();
        assertThat(ChaosSettings.parse(new String[] {"--attach"}).attach())
                .as("alone: the default folder")
                .isEmpty();
        assertThat(ChaosSettings.parse(new String[] {"--attach", "/tmp/run"}).attach())
                .isEqualTo("/tmp/run");
        assertThat(ChaosSettings.parse(new String[] {"--own"}).own()).isTrue();
        assertThatThrownBy(() -> ChaosSettings.parse(new String[] {"--attach", "--own"}))
                .hasMessageContaining("--attach and --own exclude each other");
    }
}
