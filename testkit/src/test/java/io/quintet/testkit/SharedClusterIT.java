package io.quintet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KafkaCluster
@Timeout(120)
class SharedClusterIT {

    @Test
    void aSingleBrokerClusterIsStartedAndSharedAcrossTests(RunningKafka first, RunningKafka second) throws Exception {
        assertThat(first).isSameAs(second);
        assertThat(first.brokerCount()).isEqualTo(1);
        try (var admin = first.admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(1);
        }
    }
}
