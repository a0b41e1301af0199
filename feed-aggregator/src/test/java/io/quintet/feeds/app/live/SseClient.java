package io.quintet.feeds.app.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A Server-Sent Events reader over the JDK HTTP client, as a browser's EventSource parses the stream. */
final class SseClient implements AutoCloseable {
    record Event(String id, String type, String data) {}

    final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    /** The last id seen, with or without data (an id-only block moves it too). */
    volatile String lastEventId;

    SseClient(HttpClient client, URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        this.response = client.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                    }
                    if (data.length() > 0) {
                        events.add(new Event(
                                lastEventId, type == null ? "message" : type, data.substring(0, data.length() - 1)));
                    }
                    id = null;
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6)).append('\n');
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        }
    }

    /** The next {@code n} events, failing after {@code timeout}. */
    List<Event> take(int n, Duration timeout) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " events within " + timeout + ": " + out);
            }
            out.add(e);
        }
        return out;
    }

    /** Nothing more arrives within {@code quiet}. */
    Event poll(Duration quiet) throws InterruptedException {
        return events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
