package io.quintet.feeds.stream;

import io.quintet.model.CanonicalEvent;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The one read of events.canonical: CloudEvents are decoded at this edge, records that are not canonical CloudEvents
 * go to the dead-letter topic with typed headers, and the rest flow on as canonical events in event time.
 */
public final class CanonicalSource {
    private CanonicalSource() {}

    public static KStream<String, CanonicalEvent> read(StreamsBuilder builder, String canonicalTopic, String dlqTopic) {
        Map<String, KStream<String, Decoding>> branches = builder.stream(
                        canonicalTopic,
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-events-canonical"))
                .processValues(DecodeCanonical::new, Named.as("decode-cloudevents"))
                .split(Named.as("decoded-"))
                .branch((key, d) -> d.isFailure(), Branched.as("poison"))
                .defaultBranch(Branched.as("ok"));
        branches.get("decoded-poison")
                .mapValues(Decoding::original, Named.as("poison-original-bytes"))
                .to(dlqTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-events-dlq"));
        return branches.get("decoded-ok").mapValues(Decoding::event, Named.as("canonical-events"));
    }
}
