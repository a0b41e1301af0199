package io.quintet.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.benchmarks.BenchmarkResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Where a gateway phase's CPU went, per event: the parts' CPU nanoseconds divided over the events of the phase. */
class CpuPerEventTest {
    private static final long MS = 1_000_000L;

    private static CpuMeter.Reading reading(long wallNanos) {
        return new CpuMeter.Reading(
                100 * MS, // client
                300 * MS, // gateway
                150 * MS, // broker threads in this JVM
                50 * MS, // GC, JIT, VM
                50 * MS, // broker process
                500 * MS, // waiting for a core
                100, // JIT ms
                10L << 20, // gateway allocated
                2L << 20, // broker allocated
                wallNanos);
    }

    @Test
    void eachPartsCpuIsDividedOverTheEventsAndTheBusyCoresOverTheWallTime() {
        // 1,000 requests of 50 events in one second
        HttpLoad.Phase phase = new HttpLoad.Phase(1_000, 0, 1.0, new Histogram(3), 0, reading(1_000 * MS));
        BenchmarkResult result = new BenchmarkResult("gateway");

        GatewayBenchmark.putCpu(result, "batch", phase, 50);

        assertThat(result.figures())
                .containsEntry("batch_cpu_us_client", 2L)
                .containsEntry("batch_cpu_us_gateway", 6L)
                .containsEntry("batch_cpu_us_broker", 4L) // its threads here and its process together
                .containsEntry("batch_cpu_us_jvm_gc_jit", 1L)
                .containsEntry("batch_cores_busy", 0.65)
                .containsEntry("batch_threads_waiting_for_cpu", 0.5)
                .containsEntry("batch_alloc_kb_gateway", 0.2)
                .containsEntry("batch_alloc_kb_broker", 0.0)
                .containsEntry("batch_jit_compiling_share", 0.1);
    }

    @Test
    void aPhaseWithoutRequestsDividesByOneInsteadOfZero() {
        HttpLoad.Phase idle = new HttpLoad.Phase(0, 0, 1.0, new Histogram(3), 0, reading(1_000 * MS));
        BenchmarkResult result = new BenchmarkResult("gateway");

        GatewayBenchmark.putCpu(result, "single", idle, 1);

        assertThat(result.figures()).containsEntry("single_cpu_us_gateway", 300_000L);
    }

    @Test
    void aPhaseIsTheDifferenceOfTwoReadings() {
        CpuMeter.Reading start = new CpuMeter.Reading(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        CpuMeter.Reading end = new CpuMeter.Reading(11, 22, 33, 44, 55, 66, 77, 88, 99, 110);

        assertThat(end.minus(start)).isEqualTo(new CpuMeter.Reading(10, 20, 30, 40, 50, 60, 70, 80, 90, 100));
    }

    @Test
    void gatewayThreadsAreToldApartByName() {
        assertThat(CpuMeter.isGateway("vert.x-eventloop-thread-1")).isTrue();
        assertThat(CpuMeter.isGateway("kafka-producer-network-thread | quintet-gateway-1"))
                .isTrue();
        assertThat(CpuMeter.isGateway("gateway-retry")).isTrue();
        assertThat(CpuMeter.isGateway("data-plane-kafka-request-handler-0")).isFalse();
        assertThat(CpuMeter.isGateway("main")).isFalse();
    }
}
