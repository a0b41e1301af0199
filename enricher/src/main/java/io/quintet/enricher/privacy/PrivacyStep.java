package io.quintet.enricher.privacy;

import io.quintet.model.CanonicalEvent;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The seam between dedup and stamping where pseudonymization plugs in (issue #5). An implementation adds what it
 * needs to the topology (stores, the erasure-request stream) and returns the deduplicated stream with its
 * {@value #PROCESSOR} processor applied. The record key stays the raw actor id (profile lookups need it); the event
 * inside carries pseudonyms, and the final re-keying step keys the output by {@code actor.id}.
 */
public interface PrivacyStep {
    String PROCESSOR = "pseudonymize";

    KStream<String, CanonicalEvent> pseudonymize(StreamsBuilder builder, KStream<String, CanonicalEvent> deduplicated);

    /** No privacy processing: the {@value #PROCESSOR} processor passes events through unchanged. PII is NOT removed. */
    static PrivacyStep disabled() {
        return (builder, in) -> in.processValues(PassThrough::new, Named.as(PROCESSOR));
    }

    /** The disabled step's processor. */
    final class PassThrough implements FixedKeyProcessor<String, CanonicalEvent, CanonicalEvent> {
        private FixedKeyProcessorContext<String, CanonicalEvent> context;

        @Override
        public void init(FixedKeyProcessorContext<String, CanonicalEvent> ctx) {
            this.context = ctx;
        }

        @Override
        public void process(FixedKeyRecord<String, CanonicalEvent> record) {
            context.forward(record);
        }
    }
}
