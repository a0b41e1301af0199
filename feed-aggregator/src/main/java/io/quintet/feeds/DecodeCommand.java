package io.quintet.feeds;

import io.quintet.feeds.stream.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads feed commands (seen/read marks) from the commands topic; a record that is not one is skipped, logged by
 * position only, so a bad command cannot stop the feeds.
 */
final class DecodeCommand implements FixedKeyProcessor<String, byte[], FeedCommand> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeCommand.class);
    private final org.apache.kafka.common.serialization.Deserializer<FeedCommand> deserializer =
            new JsonSerde<>(FeedCommand.class).deserializer();
    private FixedKeyProcessorContext<String, FeedCommand> context;

    @Override
    public void init(FixedKeyProcessorContext<String, FeedCommand> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        FeedCommand c = null;
        try {
            c = record.value() == null ? null : deserializer.deserialize(null, record.value());
        } catch (SerializationException e) {
            c = null;
        }
        boolean mark = c != null && (c.type() == FeedCommand.Type.SEEN || c.type() == FeedCommand.Type.READ);
        if (record.key() == null || !mark) {
            LOG.warn(
                    "skipping a record that is not a seen/read command at {}",
                    context.recordMetadata()
                            .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                            .orElse("unknown position"));
            return;
        }
        context.forward(record.withValue(c));
    }
}
