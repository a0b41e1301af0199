package io.quintet.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ChainExtensionsTest {

    private static Hash32 random(SplittableRandom r) {
        byte[] b = new byte[Hash32.LENGTH];
        r.nextBytes(b);
        return Hash32.of(b);
    }

    private static String value(RecordHeaders headers, String key) {
        List<String> values = new ArrayList<>();
        for (Header h : headers.headers(key)) {
            values.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(values).as("headers named %s", key).hasSize(1);
        return values.get(0);
    }

    @Test
    void hexBytesAreTheHexDigitsInAscii() {
        SplittableRandom r = new SplittableRandom(32);
        for (int i = 0; i < 1_000; i++) {
            Hash32 h = random(r);
            assertThat(new String(h.hexBytes(), StandardCharsets.US_ASCII)).isEqualTo(h.hex());
        }
        assertThat(new String(Hash32.ZERO.hexBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("0".repeat(64));
    }

    @Test
    void writeHeadersReplacesForgedChainHeadersAndKeepsTheOthers() {
        SplittableRandom r = new SplittableRandom(7);
        ChainLink link = new ChainLink(3, 1_042L, random(r), random(r), "chain-1");
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "evt-1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_chainseq", "1".getBytes(StandardCharsets.UTF_8)); // forged by a producer
        headers.add("ce_chainhash", "00".getBytes(StandardCharsets.UTF_8));

        ChainExtensions.writeHeaders(headers, link);

        assertThat(value(headers, "ce_id")).isEqualTo("evt-1");
        assertThat(value(headers, "ce_chainpart")).isEqualTo("3");
        assertThat(value(headers, "ce_chainseq")).isEqualTo("1042");
        assertThat(value(headers, "ce_chainprev")).isEqualTo(link.prev().hex());
        assertThat(value(headers, "ce_chainhash")).isEqualTo(link.hash().hex());
        assertThat(value(headers, "ce_chainkeyid")).isEqualTo("chain-1");
        assertThat(headers.toArray()).hasSize(6);
    }
}
