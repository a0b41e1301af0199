package io.quintet.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one read_committed consumer without a group (partitions assigned, nothing committed) over the topics
 * the console shows. At start each partition is read from its newest {@code initialPerPartition} records; topics that
 * do not exist yet are looked for again every few seconds. Each record goes to its topic's handler.
 */
public final class TopicTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> handlers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long initialPerPartition;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile Exception failure;

    /**
     * @param handlers topic name -> what to do with each of its records (called on the tail's thread)
     */
    public TopicTail(
            String bootstrap,
            Map<String, Object> clientOverrides,
            Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> handlers,
            long initialPerPartition) {
        this.handlers = Map.copyOf(handlers);
        this.initialPerPartition = initialPerPartition;
        Map<String, Object> props = new HashMap<>(clientOverrides);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "quintet-console-tail");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "console-tail");
        this.thread.setDaemon(true);
    }

    public TopicTail start() {
        thread.start();
        return this;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextCheck = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextCheck) {
                    try {
                        if (assignNewPartitions(assigned)) {
                            caughtUp = false;
                        }
                    } catch (org.apache.kafka.common.errors.RetriableException e) {
                        // a slow or restarting broker: looked for again at the next check
                        LOG.warn(
                                "could not look up the console's topics yet ({}); retrying in {} s",
                                e.toString(),
                                RECHECK.toSeconds());
                    }
                    nextCheck = System.nanoTime() + RECHECK.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    var handler = handlers.get(r.topic());
                    try {
                        handler.accept(r);
                    } catch (RuntimeException e) {
                        LOG.warn("skipped {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
                if (!caughtUp) {
                    caughtUp = reachedEnd(assigned);
                }
            }
        } catch (WakeupException stopping) {
            if (running) {
                failure = stopping;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
            LOG.error("the console's topic tail stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns partitions that appeared since the last look, each positioned at its newest records. */
    private boolean assignNewPartitions(Set<TopicPartition> assigned) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : handlers.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null) {
                continue;
            }
            for (PartitionInfo p : infos) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return false;
        }
        // offsets first: a timeout here leaves the assignment as it was, to be tried again
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(fresh, Duration.ofSeconds(10));
        Map<TopicPartition, Long> end = consumer.endOffsets(fresh, Duration.ofSeconds(10));
        assigned.addAll(fresh);
        consumer.assign(assigned);
        for (TopicPartition tp : fresh) {
            consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - initialPerPartition));
        }
        LOG.info("tailing {}", fresh);
        return true;
    }

    private boolean reachedEnd(Set<TopicPartition> assigned) {
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(5));
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp, Duration.ofSeconds(5)) < end.get(tp)) {
                    return false;
                }
            }
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException slowBroker) {
            return false; // asked again after the next poll
        }
    }

    /** Whether every assigned partition has been read up to its end once (the history is loaded). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the tail stopped, or null while it runs. */
    public Exception failure() {
        return failure;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
