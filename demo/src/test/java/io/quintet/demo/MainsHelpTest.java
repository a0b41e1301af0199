package io.quintet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's mains answer --help at once, on standard output, without starting a broker or sending anything. */
class MainsHelpTest {

    @Test
    void localPipelineHelpListsTheRunOptionsWithoutStartingAnything() {
        String out = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> capture(() -> LocalPipeline.main(new String[] {"--help"})));
        assertThat(out).startsWith("usage: ./quintet run").contains("--keep", "--rate", "--duration", "--seed");
    }

    @Test
    void loadMainHelpNamesItsRequiredOptions() {
        String out = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> capture(() -> LoadMain.main(new String[] {"-h"})));
        assertThat(out).startsWith("usage: LoadMain").contains("--gateway", "--key");
    }

    interface Main {
        void run() throws Exception;
    }

    static String capture(Main main) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(before);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
