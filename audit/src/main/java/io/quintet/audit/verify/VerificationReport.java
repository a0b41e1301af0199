package io.quintet.audit.verify;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a verification found: problems (non-empty means the log is not intact), notes (limits of what could be
 * checked) and per-partition figures.
 */
public record VerificationReport(
        String source, List<Finding> findings, List<String> notes, Map<Integer, PartitionSummary> partitions) {

    /** Figures of one partition. */
    public record PartitionSummary(
            long events,
            long firstSeq,
            long lastSeq,
            long hmacChecked,
            long checkpointsMatched,
            long checkpointsValid) {}

    public boolean clean() {
        return findings.isEmpty();
    }

    public long events() {
        return partitions.values().stream().mapToLong(PartitionSummary::events).sum();
    }

    /** The first finding of a partition (findings are kept in the order they were found). */
    public Optional<Finding> first(int partition) {
        return findings.stream().filter(f -> f.partition() == partition).findFirst();
    }

    public void print(PrintStream out) {
        out.println("verified " + source);
        partitions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            PartitionSummary s = e.getValue();
            out.printf(
                    "  partition %d: %d events read, chain verified %s, %d HMAC-checked, %d of %d checkpoints matched%n",
                    e.getKey(),
                    s.events(),
                    s.lastSeq() == 0 ? "nowhere" : "from seq " + s.firstSeq() + " through " + s.lastSeq(),
                    s.hmacChecked(),
                    s.checkpointsMatched(),
                    s.checkpointsValid());
        });
        notes.forEach(n -> out.println("  note: " + n));
        if (clean()) {
            out.println("OK: no problems found");
        } else {
            findings.stream()
                    .sorted(Comparator.comparingInt(Finding::partition))
                    .forEach(f -> out.println("FAIL " + f));
            out.println(findings.size() + " problem(s) found");
        }
    }
}
