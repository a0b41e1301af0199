package io.quintet.feeds.app.http;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Key routing from Kafka Streams metadata ({@code queryMetadataForKey}; needs {@code application.server}). */
public final class StreamsKeyRouting implements KeyRouting {
    private final KafkaStreams streams;
    private final HostInfo self;

    public StreamsKeyRouting(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public Optional<HostInfo> ownerOf(String store, String key) {
        KeyQueryMetadata m =
                streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (m == null || KeyQueryMetadata.NOT_AVAILABLE.equals(m) || m.activeHost() == null) {
            return Optional.empty();
        }
        return Optional.of(m.activeHost());
    }

    @Override
    public List<HostInfo> hostsOf(String store) {
        return streams.streamsMetadataForStore(store).stream()
                .map(StreamsMetadata::hostInfo)
                .distinct()
                .toList();
    }

    @Override
    public HostInfo self() {
        return self;
    }
}
