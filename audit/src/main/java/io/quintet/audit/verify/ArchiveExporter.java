package io.quintet.audit.verify;

import io.cloudevents.CloudEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventSerde;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes a topic's chained events and the checkpoints topic to an archive ({@link Archive}). */
public final class ArchiveExporter {
    private ArchiveExporter() {}

    /** What was written; records that are not CloudEvents are skipped and counted (the verifier would flag them). */
    public record Result(long events, long checkpoints, long skipped, String firstSkipped) {}

    public static Result export(
            Map<String, Object> clientConfig,
            String eventsTopic,
            String checkpointsTopic,
            Set<Integer> partitions,
            Path eventsOut,
            Path checkpointsOut,
            Duration idleTimeout)
            throws IOException {
        long[] counts = new long[2];
        String[] firstSkipped = new String[1];
        Map<String, Object> config = KafkaEventSource.consumerConfig(clientConfig);
        try (BufferedWriter w = Files.newBufferedWriter(eventsOut, StandardCharsets.UTF_8)) {
            KafkaEventSource.readTopic(config, eventsTopic, partitions, Map.of(), Map.of(), idleTimeout, rec -> {
                CloudEvent ce;
                try {
                    ce = CloudEventSerde.readCloudEvent(rec.headers(), rec.value());
                } catch (EventDecodingException e) {
                    counts[1]++;
                    if (firstSkipped[0] == null) {
                        firstSkipped[0] = "partition " + rec.partition() + " offset " + rec.offset();
                    }
                    return;
                }
                try {
                    w.write(Archive.line(ce));
                    w.write('\n');
                    counts[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<String> lines = new ArrayList<>();
        KafkaEventSource.readTopic(config, checkpointsTopic, null, Map.of(), Map.of(), idleTimeout, rec -> {
            if (rec.value() != null) {
                lines.add(new String(rec.value(), StandardCharsets.UTF_8));
            }
        });
        Archive.writeLines(checkpointsOut, lines);
        return new Result(counts[0], lines.size(), counts[1], firstSkipped[0]);
    }
}
