package io.quintet.feeds.app.live;

import io.quintet.feeds.app.http.ApiException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a stream is in its topic: per partition, the offset of the next record to read. It is the SSE event id
 * ({@code 0:1523,1:1490,2:1611}), so a client that reconnects with {@code Last-Event-ID} resumes right after the last
 * event it received, on every partition.
 */
public final class StreamPosition {
    private final TreeMap<Integer, Long> next = new TreeMap<>();

    public static StreamPosition parse(String id) {
        StreamPosition p = new StreamPosition();
        for (String part : id.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            int colon = t.indexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException();
                }
                int partition = Integer.parseInt(t.substring(0, colon));
                long offset = Long.parseLong(t.substring(colon + 1));
                if (partition < 0 || offset < 0) {
                    throw new NumberFormatException();
                }
                p.next.put(partition, offset);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(
                        "Last-Event-ID '" + (id.length() > 100 ? id.substring(0, 100) + "..." : id)
                                + "' is not a stream position (partition:offset,partition:offset...) this API handed out");
            }
        }
        return p;
    }

    public void set(int partition, long nextOffset) {
        next.put(partition, nextOffset);
    }

    public Map<Integer, Long> offsets() {
        return java.util.Collections.unmodifiableMap(next);
    }

    public boolean isEmpty() {
        return next.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        next.forEach((p, o) ->
                sb.append(sb.length() == 0 ? "" : ",").append(p).append(':').append(o));
        return sb.toString();
    }
}
