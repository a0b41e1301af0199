package io.quintet.feeds.entities;

import io.quintet.model.CanonicalEvent;
import io.quintet.model.json.CanonicalJson;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a canonical event by its entity for the entity-history repartition: key = the event key
 * ({@link EntityKeys#event}), value = the canonical event JSON. Events without an entity (or whose type or id holds a
 * NUL character) have no history and are not sent (counted as {@code entity-history-skipped}).
 */
final class EntityHistoryKeyer implements Processor<String, CanonicalEvent, String, byte[]> {
    private ProcessorContext<String, byte[]> context;
    private Sensor skipped;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        skipped = context.metrics()
                .addRateTotalSensor(
                        "entity-history",
                        context.taskId().toString(),
                        "entity-history-skipped",
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, CanonicalEvent> record) {
        CanonicalEvent e = record.value();
        if (e == null
                || e.entity() == null
                || e.id() == null
                || e.eventTimestamp() == null
                || !EntityKeys.storable(e.entity().type(), e.entity().id())) {
            skipped.record();
            return;
        }
        String key = EntityKeys.event(
                EntityKeys.entity(e.entity().type(), e.entity().id()), EntityKeys.micros(e.eventTimestamp()), e.id());
        context.forward(record.withKey(key).withValue(CanonicalJson.toBytes(e)));
    }
}
