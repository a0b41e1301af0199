package io.quintet.audit.verify;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.checkpoint.SignedCheckpoint;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The export archive: two NDJSON files (UTF-8, one JSON value per line).
 * <ul>
 *   <li>events: one CloudEvent per line in structured JSON format (CloudEvents JSON event format), with the chain
 *       extensions {@code chainpart chainseq chainprev chainhash chainkeyid}; lines of a partition in log order;</li>
 *   <li>checkpoints: one checkpoint per line, exactly the {@code audit.checkpoints} record value
 *       ({@link io.quintet.audit.checkpoint.CheckpointJson}).</li>
 * </ul>
 */
public final class Archive {
    private static final JsonFormat FORMAT = new JsonFormat();

    private Archive() {}

    /** One events-file line for a CloudEvent (the chain extensions must be on it). */
    public static String line(CloudEvent event) {
        return new String(FORMAT.serialize(event), StandardCharsets.UTF_8);
    }

    /** One events-file line for a canonical event and its chain link, as the enricher would have written it. */
    public static String line(CanonicalEvent event, String partitionKey, ChainLink link) {
        CloudEvent ce = CloudEventMapper.toCloudEvent(event, partitionKey);
        return line(ChainExtensions.withLink(CloudEventBuilder.v1(ce), link).build());
    }

    /** Writes lines to a file (events or checkpoints), one per line. */
    public static void writeLines(Path file, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
    }

    public static List<String> checkpointLines(List<SignedCheckpoint> checkpoints) {
        return checkpoints.stream().map(SignedCheckpoint::toJson).toList();
    }

    /** Reads a checkpoints file. */
    public static List<CheckpointRecord> readCheckpoints(Path file) throws IOException {
        List<CheckpointRecord> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String l;
            long n = 0;
            while ((l = r.readLine()) != null) {
                n++;
                if (!l.isBlank()) {
                    out.add(CheckpointRecord.parse(
                            Position.line(file.getFileName().toString(), n), l.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    /** An events file as a {@link ChainedEventSource}; the partition of each line is its {@code chainpart}. */
    public static ChainedEventSource events(Path file) {
        return new ChainedEventSource() {
            @Override
            public String describe() {
                return "archive " + file;
            }

            @Override
            public Optional<Set<Integer>> partitions() {
                return Optional.empty();
            }

            @Override
            public boolean readsToEnd() {
                return true;
            }

            @Override
            public void read(Consumer<ChainedRecord> sink) throws IOException {
                String name = file.getFileName().toString();
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String l;
                    long n = 0;
                    while ((l = r.readLine()) != null) {
                        n++;
                        if (l.isBlank()) {
                            continue;
                        }
                        Position pos = Position.line(name, n);
                        CloudEvent ce;
                        try {
                            ce = FORMAT.deserialize(l.getBytes(StandardCharsets.UTF_8));
                        } catch (RuntimeException e) {
                            sink.accept(ChainedRecord.broken(
                                    -1,
                                    pos,
                                    "not a CloudEvent in JSON format ("
                                            + e.getClass().getSimpleName() + ")"));
                            continue;
                        }
                        sink.accept(ChainedRecord.ofCloudEvent(-1, pos, ce));
                    }
                }
            }
        };
    }
}
