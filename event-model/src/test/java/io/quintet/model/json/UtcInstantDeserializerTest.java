package io.quintet.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtcInstantDeserializerTest {

    @Test
    void readsEveryCanonicalUtcTimestampExactlyAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-2_000_000_000L, 7_000_000_000L);
            int digits = random.nextInt(10);
            int nanos = digits == 0 ? 0 : random.nextInt(1_000_000_000);
            Instant instant = Instant.ofEpochSecond(second, nanos);
            String text = instant.toString(); // ISO_INSTANT: 0, 3, 6 or 9 fraction digits
            if (text.length() == 20 && digits > 0) {
                text = text.substring(0, 19) + "." + "0".repeat(digits) + "Z"; // other fraction lengths
            }
            if (text.charAt(0) == '-' || text.charAt(0) == '+') {
                assertThat(UtcTimestamps.parse(text)).isNull();
                continue;
            }
            assertThat(UtcTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(UtcTimestamps.parse("2026-11-02T09:15:30.1Z")).isEqualTo(Instant.parse("2026-11-02T09:15:30.100Z"));
        assertThat(UtcTimestamps.parse("2028-02-29T23:59:59.999999999Z"))
                .isEqualTo(Instant.parse("2028-02-29T23:59:59.999999999Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-02T09:15:30.123+01:00",
                "2026-11-02T09:15:30z",
                "2026-02-30T00:00:00Z",
                "2026-11-02T24:00:00Z",
                "2026-11-02T23:59:60Z",
                "2026-11-02T09:15:30.Z",
                "2026-11-02 09:15:30Z",
                "2026-11-02T09:15:30.1234567890Z",
                "+2026-11-02T09:15:30Z",
                "2026-1a-02T09:15:30Z"
            })
    void leavesEveryOtherFormToJacksonsOwnParser(String text) {
        assertThat(UtcTimestamps.parse(text)).isNull();
    }

    @Test
    void theCanonicalMapperStillAcceptsOffsetsAndRejectsImpossibleDates() throws Exception {
        var mapper = CanonicalJson.newMapper();
        assertThat(mapper.readValue("\"2026-11-02T10:15:30.123+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-02T09:15:30.123Z"));
        assertThat(mapper.readValue("\"2026-11-02T09:15:30.123Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-02T09:15:30.123Z"));
        assertThatThrownBy(() -> mapper.readValue("\"2026-02-30T00:00:00Z\"", Instant.class))
                .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
    }
}
