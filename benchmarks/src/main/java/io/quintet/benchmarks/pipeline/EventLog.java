package io.quintet.benchmarks.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the benchmark knows about each event it sent, by id: its stage (0 = warm-up, 1.. = steps), its 1-minute
 * event-time window, when the gateway answered it accepted, and when and where it appeared on events.canonical.
 * Times are {@code System.nanoTime()} of this JVM; latencies are computed from them at the end.
 */
final class EventLog {
    /** One sent event. Written by the sender, the answer callbacks and the output watcher. */
    static final class Tracked {
        final int stage;
        final long minute;
        volatile long answeredNanos;
        volatile long canonicalNanos;
        volatile int partition = -1;
        volatile long offset = -1;

        Tracked(int stage, long minute) {
            this.stage = stage;
            this.minute = minute;
        }
    }

    /** Five failed logins for a fresh actor, sent in one request: must fire the brute-force-login alert. */
    static final class Burst {
        final int stage;
        final String actor;
        final List<String> ids;
        volatile long answeredNanos;
        /** The actor's pseudonym as the enricher wrote it to events.canonical (alerts are grouped by it). */
        volatile String pseudonym;

        Burst(int stage, String actor, List<String> ids) {
            this.stage = stage;
            this.actor = actor;
            this.ids = ids;
        }
    }

    final Map<String, Tracked> events = new ConcurrentHashMap<>();
    final List<Burst> bursts = new CopyOnWriteArrayList<>();
    final Map<String, Burst> burstByEventId = new ConcurrentHashMap<>();

    Tracked sent(String id, int stage, long minute) {
        Tracked t = new Tracked(stage, minute);
        events.put(id, t);
        return t;
    }

    void burst(Burst b) {
        bursts.add(b);
        b.ids.forEach(id -> burstByEventId.put(id, b));
    }
}
