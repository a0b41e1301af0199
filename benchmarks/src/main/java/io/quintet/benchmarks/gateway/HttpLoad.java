package io.quintet.benchmarks.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An HTTP/1.1 keep-alive load driver on its own Vert.x event loop (one thread, so its histograms need no locking).
 * Closed loop: {@code concurrency} connections each send the next request as soon as the previous one is answered
 * (maximum throughput). Open loop: requests are sent at a fixed rate and latency is measured from when each request
 * was due, not when it was sent, so a stalled server is not hidden (no coordinated omission).
 */
final class HttpLoad implements AutoCloseable {
    private final Vertx vertx =
            Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpClient client;
    private final Context context;
    private final RequestOptions request;

    /**
     * What one phase measured. Latencies in microseconds; {@code cpuNanos}: CPU time of the whole JVM (client,
     * gateway and, when in-JVM, the broker) during the measured part.
     */
    record Phase(long requests, long errors, double seconds, Histogram latency, long dropped, CpuMeter.Reading cpu) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private final CpuMeter cpu;
    private final long clientThread;

    HttpLoad(int port, String writeKey, int connections, long brokerPid) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(port)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.context = vertx.getOrCreateContext();
        this.request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/v1/events")
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + writeKey);
        CompletableFuture<Long> thread = new CompletableFuture<>();
        context.runOnContext(v -> thread.complete(Thread.currentThread().getId()));
        this.clientThread = thread.join();
        this.cpu = new CpuMeter(id -> id == clientThread, brokerPid);
    }

    private long acceptedEvents;
    private final java.util.Map<Buffer, Integer> eventsPerBody = new java.util.IdentityHashMap<>();

    /** Tells the driver how many events a body holds, for {@link #acceptedEvents()}. */
    void eventsIn(List<Buffer> bodies, int events) {
        bodies.forEach(b -> eventsPerBody.put(b, events));
    }

    /** Events in requests answered 2xx so far (warm-up included): Kafka acknowledged each of them. */
    long acceptedEvents() {
        try {
            CompletableFuture<Long> f = new CompletableFuture<>();
            context.runOnContext(v -> f.complete(acceptedEvents));
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Future<Integer> send(Buffer body) {
        return client.request(request)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onSuccess(status -> {
                    if (status / 100 == 2) {
                        acceptedEvents += eventsPerBody.getOrDefault(body, 1);
                    }
                });
    }

    /** Closed loop for {@code warmup + measure}; only the measured part is recorded. */
    Phase closedLoop(List<Buffer> bodies, int concurrency, Duration warmup, Duration measure) throws Exception {
        CompletableFuture<Phase> result = new CompletableFuture<>();
        context.runOnContext(v -> new ClosedLoop(bodies, concurrency, warmup, measure, result).start());
        return result.get(warmup.plus(measure).toSeconds() + 120, TimeUnit.SECONDS);
    }

    /** Open loop at {@code ratePerSecond} for {@code warmup + measure}. */
    Phase openLoop(List<Buffer> bodies, double ratePerSecond, int maxOutstanding, Duration warmup, Duration measure)
            throws Exception {
        CompletableFuture<Phase> result = new CompletableFuture<>();
        context.runOnContext(v -> new OpenLoop(bodies, ratePerSecond, maxOutstanding, warmup, measure, result).start());
        return result.get(warmup.plus(measure).toSeconds() + 120, TimeUnit.SECONDS);
    }

    private final class ClosedLoop {
        final List<Buffer> bodies;
        final int concurrency;
        final long measureStart;
        final long end;
        final CompletableFuture<Phase> result;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long requests;
        long errors;
        int next;
        int running;
        CpuMeter.Reading cpuAtStart;

        ClosedLoop(
                List<Buffer> bodies,
                int concurrency,
                Duration warmup,
                Duration measure,
                CompletableFuture<Phase> result) {
            this.bodies = bodies;
            this.concurrency = concurrency;
            this.measureStart = System.nanoTime() + warmup.toNanos();
            this.end = measureStart + measure.toNanos();
            this.result = result;
        }

        void start() {
            running = concurrency;
            for (int i = 0; i < concurrency; i++) {
                loop();
            }
        }

        void loop() {
            long t0 = System.nanoTime();
            if (cpuAtStart == null && t0 >= measureStart) {
                cpuAtStart = cpu.read();
            }
            if (t0 >= end) {
                if (--running == 0) {
                    result.complete(new Phase(
                            requests,
                            errors,
                            (end - measureStart) / 1e9,
                            latency,
                            0,
                            cpu.read().minus(cpuAtStart)));
                }
                return;
            }
            Buffer body = bodies.get(next++ % bodies.size());
            send(body).onComplete(ar -> {
                long t1 = System.nanoTime();
                if (t0 >= measureStart && t1 <= end) {
                    requests++;
                    if (ar.failed() || ar.result() / 100 != 2) {
                        errors++;
                    }
                    latency.recordValue(Math.max(1, (t1 - t0) / 1_000));
                }
                loop();
            });
        }
    }

    private final class OpenLoop {
        final List<Buffer> bodies;
        final long intervalNanos;
        final int maxOutstanding;
        final long start;
        final long measureStart;
        final long end;
        final CompletableFuture<Phase> result;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long nextDue;
        long requests;
        long errors;
        long dropped;
        int outstanding;
        int next;
        long timer;
        CpuMeter.Reading cpuAtStart;

        OpenLoop(
                List<Buffer> bodies,
                double rate,
                int maxOutstanding,
                Duration warmup,
                Duration measure,
                CompletableFuture<Phase> result) {
            this.bodies = bodies;
            this.intervalNanos = (long) (1e9 / rate);
            this.maxOutstanding = maxOutstanding;
            this.start = System.nanoTime();
            this.measureStart = start + warmup.toNanos();
            this.end = measureStart + measure.toNanos();
            this.result = result;
            this.nextDue = start;
        }

        void start() {
            timer = vertx.setPeriodic(1, id -> tick());
        }

        void tick() {
            long now = System.nanoTime();
            if (cpuAtStart == null && now >= measureStart) {
                cpuAtStart = cpu.read();
            }
            while (nextDue <= now && nextDue < end) {
                long due = nextDue;
                nextDue += intervalNanos;
                if (outstanding >= maxOutstanding) {
                    if (due >= measureStart) {
                        dropped++;
                    }
                    continue;
                }
                outstanding++;
                send(bodies.get(next++ % bodies.size())).onComplete(ar -> {
                    outstanding--;
                    if (due >= measureStart) {
                        requests++;
                        if (ar.failed() || ar.result() / 100 != 2) {
                            errors++;
                        }
                        latency.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
                    }
                    finishIfDone();
                });
            }
            finishIfDone();
        }

        void finishIfDone() {
            if (nextDue >= end && outstanding == 0 && !result.isDone()) {
                vertx.cancelTimer(timer);
                result.complete(new Phase(
                        requests,
                        errors,
                        (end - measureStart) / 1e9,
                        latency,
                        dropped,
                        cpu.read().minus(cpuAtStart)));
            }
        }
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
