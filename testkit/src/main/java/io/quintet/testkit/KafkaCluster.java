package io.quintet.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that needs a real Kafka cluster. The cluster (KRaft, in this JVM) is started once
 * per module and size and shared by every test class that asks for the same number of brokers; tests get it as a
 * {@link RunningKafka} parameter. Each test must use its own topics / application ids.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("integration")
@ExtendWith(KafkaClusterExtension.class)
public @interface KafkaCluster {
    /** Number of brokers: 1 by default, 3 for replication and failover tests. */
    int brokers() default 1;
}
