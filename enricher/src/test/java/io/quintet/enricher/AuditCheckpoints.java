package io.quintet.enricher;

import com.fasterxml.jackson.databind.JsonNode;
import io.quintet.model.json.CanonicalJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading audit.checkpoints records in the chaining integration tests. */
final class AuditCheckpoints {
    private AuditCheckpoints() {}

    /** Highest sequence number sealed by a checkpoint, per partition. */
    static Map<Integer, Long> sealed(List<ConsumerRecord<String, byte[]>> checkpoints) {
        Map<Integer, Long> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : checkpoints) {
            JsonNode cp = CanonicalJson.parseTree(r.value());
            out.merge(cp.get("partition").asInt(), cp.get("last_seq").asLong(), Math::max);
        }
        return out;
    }
}
