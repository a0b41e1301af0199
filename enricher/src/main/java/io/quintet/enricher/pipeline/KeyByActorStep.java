package io.quintet.enricher.pipeline;

import io.quintet.enricher.telemetry.EnricherTelemetry;
import io.quintet.model.CanonicalEvent;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Step 7, the last before {@code events.canonical}: keys the record by {@code actor.id} (the pseudonym once
 * privacy ran) and drops every incoming header, so nothing of the raw record (its {@code ce_partitionkey} holds the
 * raw actor id) leaks through; the CloudEvents serializer then writes fresh binary-mode headers from the event.
 */
public final class KeyByActorStep implements Processor<String, CanonicalEvent, String, CanonicalEvent> {
    private final EnricherTelemetry telemetry;
    private ProcessorContext<String, CanonicalEvent> context;

    public KeyByActorStep(EnricherTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, CanonicalEvent> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(Record<String, CanonicalEvent> record) {
        CanonicalEvent e = record.value();
        telemetry.canonical();
        context.forward(record.withKey(e.actor().id()).withHeaders(new RecordHeaders()));
    }
}
