package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CPU time of a process from Linux's /proc/PID/stat: utime + stime, in clock ticks of 10 ms. */
class ProcessCpuTest {

    @Test
    void utimePlusStimeTicksAreNanoseconds() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 9000 0 12 0 250 50 3 1 20 0 40 0 100 0 0";

        assertThat(ProcessCpu.statNanos(stat)).isEqualTo((250 + 50) * 10_000_000L);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 0";

        assertThat(ProcessCpu.statNanos(stat)).isEqualTo(100_000_000L);
    }

    @Test
    void thisProcessHasSpentCpuAndAMissingProcessReadsAsZero() {
        assertThat(ProcessCpu.nanos(ProcessHandle.current().pid())).isPositive();
        assertThat(ProcessCpu.nanos(0)).isZero();
        assertThat(ProcessCpu.nanos(Integer.MAX_VALUE)).as("no such pid").isZero();
        assertThat(ProcessCpu.runQueueWaitNanos("self")).isNotNegative();
        assertThat(ProcessCpu.runQueueWaitNanos(String.valueOf(Integer.MAX_VALUE)))
                .isZero();
    }

    @Test
    void theJitCompilerThreadsOfThisJvmHaveCompiledAndTheirCpuIsPartOfTheProcesss() {
        long jit = ProcessCpu.jitNanos("self");

        assertThat(jit).as("this JVM has compiled the test framework by now").isPositive();
        assertThat(jit)
                .isLessThanOrEqualTo(ProcessCpu.nanos(ProcessHandle.current().pid()));
        assertThat(ProcessCpu.jitNanos(String.valueOf(Integer.MAX_VALUE))).isZero();
    }

    @Test
    void compilerThreadsAreRecognisedByTheirTruncatedNames() {
        assertThat(ProcessCpu.isCompilerThread("C2 CompilerThre")).isTrue();
        assertThat(ProcessCpu.isCompilerThread("C1 CompilerThre")).isTrue();
        assertThat(ProcessCpu.isCompilerThread("VM Thread")).isFalse();
        assertThat(ProcessCpu.isCompilerThread("quintet-enrich")).isFalse();
    }
}
