package io.quintet.feeds.app.live;

import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.app.http.ApiRequest;
import io.quintet.model.ActionPattern;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.InvalidActionNameException;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.model.json.CanonicalJson;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The Server-Sent Events streams of the API: {@code GET /v1/stream/events?pattern=auth.*} (canonical events as on
 * {@code events.canonical}: pseudonymized; event type {@code canonical}) and {@code GET /v1/stream/alerts} (alert
 * events from the {@code alerts} topic; event type = {@code monitoring.alert.triggered} / {@code .resolved}). Each
 * stream is a {@link TopicStream} with a thread and a consumer of its own, at most {@code maxStreams} at once (503
 * beyond). Resumable: the event id is the stream's position, sent back as {@code Last-Event-ID} (header, or the
 * {@code last_event_id} query parameter for the first connection of a browser's EventSource).
 */
public final class LiveStreams implements AutoCloseable {
    public static final String EVENTS_PATH = "/v1/stream/events";
    public static final String ALERTS_PATH = "/v1/stream/alerts";
    private static final long WRITE_TIMEOUT_S = 30;

    private final Map<String, Object> consumerProps;
    private final String eventsTopic;
    private final String alertsTopic;
    private final int maxStreams;
    private final Duration heartbeat;
    private final Set<TopicStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    /** @param clientProps bootstrap servers and client settings (security...) of the consumers */
    public LiveStreams(
            Map<String, Object> clientProps,
            String eventsTopic,
            String alertsTopic,
            int maxStreams,
            Duration heartbeat) {
        Map<String, Object> p = new LinkedHashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerProps = Map.copyOf(p);
        this.eventsTopic = eventsTopic;
        this.alertsTopic = alertsTopic;
        this.maxStreams = maxStreams;
        this.heartbeat = heartbeat;
    }

    /** {@code GET /v1/stream/events?pattern=P}: canonical events whose action matches P (default every event). */
    public void events(ApiRequest request, HttpServerRequest http) {
        ActionPattern pattern;
        try {
            pattern = ActionPattern.parse(request.param("pattern").orElse("*"));
        } catch (InvalidActionNameException e) {
            throw ApiException.badRequest("query parameter 'pattern': " + e.getMessage());
        }
        start("events", eventsTopic, request, http, canonical(pattern, "canonical"));
    }

    /** {@code GET /v1/stream/alerts}: every alert event (triggered and resolved). */
    public void alerts(ApiRequest request, HttpServerRequest http) {
        start("alerts", alertsTopic, request, http, canonical(ActionPattern.parse("*"), null));
    }

    /**
     * Keeps a canonical CloudEvent when its action matches. Binary mode (what Quintet writes): {@code ce_type} is the
     * action name (the envelope contract) and the value is the canonical event's JSON, streamed as it is on the topic
     * without parsing it; anything else (structured mode) is decoded and written as canonical JSON.
     */
    static Function<ConsumerRecord<byte[], byte[]>, Optional<StreamedRecord>> canonical(
            ActionPattern pattern, String type) {
        return r -> {
            Header ceType = r.headers().lastHeader("ce_type");
            Header contentType = r.headers().lastHeader("content-type");
            if (ceType != null
                    && contentType != null
                    && r.value() != null
                    && r.value().length > 0
                    && r.value()[0] == '{'
                    && new String(contentType.value(), StandardCharsets.UTF_8).startsWith("application/json")) {
                String action = new String(ceType.value(), StandardCharsets.UTF_8);
                return pattern.matches(action)
                        ? Optional.of(new StreamedRecord(type != null ? type : action, r.value()))
                        : Optional.empty();
            }
            if (!(CloudEventSerde.decode(r.headers(), r.value()) instanceof DecodeResult.Decoded d)) {
                return Optional.empty(); // not a canonical CloudEvent: dead-lettered by the topology, not streamed
            }
            CanonicalEvent e = d.event();
            if (e.action() == null || !pattern.matches(e.action().name())) {
                return Optional.empty();
            }
            return Optional.of(
                    new StreamedRecord(type != null ? type : e.action().name(), CanonicalJson.toBytes(e)));
        };
    }

    private void start(
            String kind,
            String topic,
            ApiRequest request,
            HttpServerRequest http,
            Function<ConsumerRecord<byte[], byte[]>, Optional<StreamedRecord>> mapper) {
        if (!request.method().equals("GET")) {
            throw new ApiException(405, "use GET to open a stream");
        }
        String lastEventId = Optional.ofNullable(http.getHeader("Last-Event-ID"))
                .filter(s -> !s.isBlank())
                .or(() -> request.param("last_event_id"))
                .orElse("");
        StreamPosition from = StreamPosition.parse(lastEventId);
        if (closed) {
            throw ApiException.unavailable("the service is stopping");
        }
        if (open.size() >= maxStreams) {
            throw ApiException.unavailable("too many open streams (" + maxStreams + "); retry later");
        }
        HttpServerResponse response = http.response();
        response.setChunked(true)
                .setStatusCode(200)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        TopicStream stream = new TopicStream(consumerProps, topic, from, mapper, new ResponseSink(response), heartbeat);
        open.add(stream);
        response.closeHandler(v -> stream.stop());
        Thread t = new Thread(
                () -> {
                    try {
                        stream.run();
                    } finally {
                        open.remove(stream);
                    }
                },
                "sse-" + kind + "-" + ids.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    public int openStreams() {
        return open.size();
    }

    /** Ends every stream (clients reconnect to another instance with their Last-Event-ID). */
    @Override
    public void close() {
        closed = true;
        open.forEach(TopicStream::stop);
    }

    /** Writes to the HTTP response and waits until the connection took the bytes. */
    private static final class ResponseSink implements TopicStream.Sink {
        private final HttpServerResponse response;

        ResponseSink(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public boolean write(String text) {
            if (response.closed() || response.ended()) {
                return false;
            }
            try {
                response.write(text).toCompletionStage().toCompletableFuture().get(WRITE_TIMEOUT_S, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException | TimeoutException | IllegalStateException e) {
                return false; // closed by the client, or not draining: the stream ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void end() {
            if (!response.closed() && !response.ended()) {
                try {
                    response.end();
                } catch (IllegalStateException alreadyGone) {
                    // closed between the check and the end
                }
            }
        }
    }
}
