package io.quintet.gateway.rejections;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent dead letters of each source, in memory: at most {@code perSource} per source (the oldest goes
 * first) and at most {@code maxSources} sources (the one without a rejection for the longest goes first). Filled by
 * {@link DeadLetterFollower}, read by {@code GET /v1/sources/{source}/rejections}. Thread-safe.
 */
public final class RejectionLog {
    private final int perSource;
    private final int maxSources;
    /** Access order: the source rejected least recently first. */
    private final LinkedHashMap<String, Deque<RecentRejection>> bySource = new LinkedHashMap<>(16, 0.75f, true);

    private long total;

    public RejectionLog(int perSource, int maxSources) {
        if (perSource < 1 || maxSources < 1) {
            throw new IllegalArgumentException("perSource and maxSources must be positive");
        }
        this.perSource = perSource;
        this.maxSources = maxSources;
    }

    public synchronized void add(RecentRejection r) {
        Deque<RecentRejection> ring = bySource.computeIfAbsent(r.source(), s -> new ArrayDeque<>());
        if (ring.size() == perSource) {
            ring.removeFirst();
        }
        ring.addLast(r);
        total++;
        if (bySource.size() > maxSources) {
            Iterator<Map.Entry<String, Deque<RecentRejection>>> eldest =
                    bySource.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** The source's rejections still held, newest first. */
    public synchronized List<RecentRejection> recent(String source) {
        Deque<RecentRejection> ring = bySource.get(source);
        if (ring == null) {
            return List.of();
        }
        List<RecentRejection> out = new ArrayList<>(ring);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Dead letters read since start, of every source. */
    public synchronized long total() {
        return total;
    }

    public int perSource() {
        return perSource;
    }
}
