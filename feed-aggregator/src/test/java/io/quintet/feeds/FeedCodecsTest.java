package io.quintet.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quintet.feeds.stream.BinarySerde;
import io.quintet.feeds.stream.JsonSerde;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class FeedCodecsTest {
    static final FeedItem FULL = new FeedItem(
            "evt-1",
            "aggregated",
            "social.post.liked",
            Instant.parse("2026-12-04T01:02:03.123456789Z"),
            List.of("ps_a", "ps_ü"),
            7,
            12,
            new FeedItem.FeedObject("post", "post-42"),
            "social-app",
            "post-42",
            Instant.parse("1969-12-31T23:59:59Z"),
            "evt-12",
            true,
            false,
            "org-4711");
    static final FeedItem SPARSE = new FeedItem(
            "evt-2",
            "flat",
            "auth.user.login_succeeded",
            Instant.EPOCH,
            List.of(),
            0,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    static <T> T roundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(bytes[0]).as("binary, never JSON").isIn(BinarySerde.V1, BinarySerde.V2);
        return serde.deserializer().deserialize("t", bytes);
    }

    @Test
    void everyInternalValueRoundTripsWithEveryFieldSetAndWithNulls() {
        assertThat(roundTrip(FeedCodecs.items(), FULL)).isEqualTo(FULL);
        assertThat(roundTrip(FeedCodecs.items(), SPARSE)).isEqualTo(SPARSE);
        for (FeedCommand c : List.of(
                FeedCommand.add(FeedKind.TIMELINE, FULL),
                FeedCommand.aggregate(SPARSE, "g"),
                FeedCommand.edge("ps_b", true, true),
                FeedCommand.seen(null, Instant.parse("2026-12-04T00:00:00Z")),
                FeedCommand.read("item-1", null))) {
            assertThat(roundTrip(FeedCodecs.commands(), c)).isEqualTo(c);
        }
        for (FanOutInput in : List.of(
                FanOutInput.activity(FULL),
                FanOutInput.graph("ps_c", false),
                FanOutInput.notification(FeedCommand.aggregate(FULL, "post-42")))) {
            assertThat(roundTrip(FeedCodecs.fanOutInputs(), in)).isEqualTo(in);
        }
        FeedMeta meta = new FeedMeta(1000, 3, 0, "0001796345039882|evt-9");
        assertThat(roundTrip(FeedCodecs.meta(), meta)).isEqualTo(meta);
        assertThat(roundTrip(FeedCodecs.meta(), FeedMeta.EMPTY)).isEqualTo(FeedMeta.EMPTY);
        AggregationGroup group = new AggregationGroup("item-1", List.of("ps_a", "ps_b"), 5, 9);
        assertThat(roundTrip(FeedCodecs.groups(), group)).isEqualTo(group);
    }

    @Test
    void storesAndRepartitionTopicsWrittenAsJsonBeforeStillRead() {
        FanOutInput in = FanOutInput.activity(FULL);
        byte[] json = new JsonSerde<>(FanOutInput.class).serializer().serialize("t", in);
        assertThat(FeedCodecs.fanOutInputs().deserializer().deserialize("t", json))
                .isEqualTo(in);
        FeedMeta meta = new FeedMeta(2, 1, 1, null);
        assertThat(FeedCodecs.meta()
                        .deserializer()
                        .deserialize(
                                "t",
                                new JsonSerde<>(FeedMeta.class).serializer().serialize("t", meta)))
                .isEqualTo(meta);
    }

    @Test
    void itemsCarryTheirOrganizationUnderVersionTwoAndVersionOneItemsReadWithoutOne() {
        byte[] v2 = FeedCodecs.items().serializer().serialize("t", FULL);
        assertThat(v2[0]).isEqualTo(BinarySerde.V2);
        // a version-1 item as the previous release wrote it: the same fields without the organisation at the end
        FeedItem withoutOrganization = new FeedItem(
                FULL.id(),
                FULL.feed(),
                FULL.verb(),
                FULL.time(),
                FULL.actors(),
                FULL.actorCount(),
                FULL.activityCount(),
                FULL.object(),
                FULL.source(),
                FULL.group(),
                FULL.windowStart(),
                FULL.lastEventId(),
                FULL.seen(),
                FULL.read(),
                null);
        byte[] noOrganization = FeedCodecs.items().serializer().serialize("t", withoutOrganization);
        byte[] v1 = Arrays.copyOf(noOrganization, noOrganization.length - 1); // drop the null string (one 0 byte)
        v1[0] = BinarySerde.V1;
        assertThat(FeedCodecs.items().deserializer().deserialize("t", v1)).isEqualTo(withoutOrganization);
        byte[] future = v2.clone();
        future[0] = 3;
        assertThatThrownBy(() -> FeedCodecs.items().deserializer().deserialize("t", future))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown format 3");
    }

    @Test
    void aTruncatedRecordIsASerializationError() {
        byte[] bytes = FeedCodecs.items().serializer().serialize("t", FULL);
        for (int cut = 1; cut < bytes.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> FeedCodecs.items().deserializer().deserialize("t", truncated))
                    .isInstanceOf(SerializationException.class);
        }
    }
}
