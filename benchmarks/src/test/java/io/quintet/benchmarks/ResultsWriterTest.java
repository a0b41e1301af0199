package io.quintet.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result becomes one JSON line and one row of the table in docs/benchmarks.md (rows others parse: the format is
 * fixed).
 */
class ResultsWriterTest {

    @Test
    void aResultIsAppendedAsATableRowOfTimeNameFiguresMachineAndCommand(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Path markdown = root.resolve("docs/benchmarks.md");
        Files.writeString(markdown, "| time | benchmark | figures | machine | command |\n");
        BenchmarkResult result =
                new BenchmarkResult("publisher").put("events_per_s", 41250).put("p99_ms", 3.5);

        new ResultsWriter(root).write(result, "./quintet bench --only publisher", "2 cores, 1024 MiB heap");

        List<String> lines = Files.readAllLines(markdown);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1))
                .matches("\\| \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\| publisher \\| events_per_s 41250, p99_ms 3.5 "
                        + "\\| 2 cores, 1024 MiB heap \\| `\\./quintet bench --only publisher` \\|");
    }

    @Test
    void aResultIsAppendedAsAJsonLineWithItsFiguresByName(@TempDir Path root) throws Exception {
        ResultsWriter writer = new ResultsWriter(root);
        writer.write(new BenchmarkResult("gateway").put("requests_per_s", 900), "cmd one", "m");
        writer.write(new BenchmarkResult("sink").put("rows_per_s", 12.5).put("ok", true), "cmd two", "m");

        List<String> lines = Files.readAllLines(root.resolve("benchmarks/results/results.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.path("benchmark").asText()).isEqualTo("sink");
        assertThat(second.path("command").asText()).isEqualTo("cmd two");
        assertThat(second.path("machine").asText()).isEqualTo("m");
        assertThat(second.path("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(second.path("figures").path("rows_per_s").asDouble()).isEqualTo(12.5);
        assertThat(second.path("figures").path("ok").asBoolean()).isTrue();
    }

    @Test
    void withoutTheDocsPageOnlyTheJsonLineIsWritten(@TempDir Path root) throws Exception {
        new ResultsWriter(root).write(new BenchmarkResult("audit").put("x", 1), "cmd", "m");

        assertThat(root.resolve("docs/benchmarks.md")).doesNotExist();
        assertThat(root.resolve("benchmarks/results/results.jsonl")).isNotEmptyFile();
    }
}
