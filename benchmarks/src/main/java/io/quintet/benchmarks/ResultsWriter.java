package io.quintet.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints results and appends them as JSON lines ({@code benchmarks/results/results.jsonl}) and as a row of the
 * readable table in {@code docs/benchmarks.md}.
 */
public final class ResultsWriter {
    private final Path jsonLines;
    private final Path markdown;
    private final ObjectMapper mapper = new ObjectMapper();

    public ResultsWriter(Path repoRoot) {
        this.jsonLines = repoRoot.resolve("benchmarks/results/results.jsonl");
        this.markdown = repoRoot.resolve("docs/benchmarks.md");
    }

    public void write(BenchmarkResult result, String command, String machine) throws IOException {
        Instant now = Instant.now();
        System.out.println();
        System.out.println("== " + result.benchmark() + " ==");
        result.figures().forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));

        ObjectNode line = mapper.createObjectNode();
        line.put("time", now.toString());
        line.put("benchmark", result.benchmark());
        line.put("machine", machine);
        line.put("command", command);
        line.set("figures", mapper.valueToTree(result.figures()));
        Files.createDirectories(jsonLines.getParent());
        Files.writeString(
                jsonLines,
                mapper.writeValueAsString(line) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);

        if (Files.exists(markdown)) {
            String figures = result.figures().entrySet().stream()
                    .map(ResultsWriter::cell)
                    .collect(Collectors.joining(", "));
            String row = "| " + now.toString().substring(0, 16).replace('T', ' ') + " | " + result.benchmark() + " | "
                    + figures + " | " + machine + " | `" + command + "` |\n";
            Files.writeString(markdown, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    private static String cell(Map.Entry<String, Object> e) {
        return e.getKey() + " " + e.getValue();
    }
}
