package io.quintet.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real KRaft cluster in this JVM with Kafka's own {@link KafkaClusterTestKit} (one combined
 * controller+broker node, or N brokers with one dedicated controller; loopback listeners) and shares it across all test classes of the module run: the cluster is stored in the
 * root extension context and closed when the whole run ends. Resolves {@link RunningKafka} parameters.
 */
public final class KafkaClusterExtension implements ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterExtension.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RunningKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        int brokers = extensionContext
                .getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, KafkaCluster.class))
                .map(KafkaCluster::brokers)
                .orElse(1);
        ExtensionContext.Store store = extensionContext.getRoot().getStore(NS);
        return store.getOrComputeIfAbsent("cluster-" + brokers, k -> start(brokers), SharedCluster.class);
    }

    private static SharedCluster start(int brokers) {
        long t0 = System.nanoTime();
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            // one broker: a combined node; several: a single dedicated controller, so the raft quorum
                            // has
                            // one voter and start-up / shut-down stay fast and deterministic
                            .setCombined(brokers == 1)
                            .setNumBrokerNodes(brokers)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            LOG.info(
                    "Kafka test cluster with {} broker(s) at {} ready in {} ms",
                    brokers,
                    kit.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new SharedCluster(kit, brokers);
        } catch (Exception e) {
            throw new ParameterResolutionException("could not start a " + brokers + "-broker Kafka test cluster", e);
        }
    }

    /** The cluster as stored in the root context; closed by JUnit at the end of the run. */
    static final class SharedCluster implements RunningKafka, ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final KafkaClusterTestKit kit;
        private final int brokers;

        SharedCluster(KafkaClusterTestKit kit, int brokers) {
            this.kit = kit;
            this.brokers = brokers;
        }

        @Override
        public String bootstrapServers() {
            return kit.bootstrapServers();
        }

        @Override
        public int brokerCount() {
            return brokers;
        }

        @Override
        public void close() throws Exception {
            kit.close();
        }
    }
}
