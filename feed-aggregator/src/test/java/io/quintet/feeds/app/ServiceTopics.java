package io.quintet.feeds.app;

import io.quintet.testkit.RunningKafka;

/** The catalogue topics the service checks at start (it creates feeds.commands itself), under a test's prefix. */
public final class ServiceTopics {
    private ServiceTopics() {}

    public static void create(RunningKafka kafka, String prefix, int partitions) {
        kafka.createTopics(
                partitions,
                prefix + "events.canonical",
                prefix + "events.dlq",
                prefix + "metrics",
                prefix + "alerts",
                prefix + "feeds.updates");
    }
}
