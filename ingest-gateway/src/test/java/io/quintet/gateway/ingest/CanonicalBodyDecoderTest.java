package io.quintet.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalBodyDecoderTest {
    final CanonicalBodyDecoder decoder = new CanonicalBodyDecoder(3);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneObjectOrAnArrayOfThem() {
        assertThat(decoder.decodeJson(utf8("{\"id\":\"a\"}"))).singleElement().isInstanceOf(Candidate.Event.class);
        List<Candidate> items = decoder.decodeJson(utf8("[{\"id\":\"a\"}, 42, {\"id\":\"c\"}]"));
        assertThat(items).extracting(Candidate::index).containsExactly(0, 1, 2);
        assertThat(items.get(1))
                .isInstanceOfSatisfying(
                        Candidate.Rejected.class,
                        r -> assertThat(r.rejection().code()).isEqualTo(ErrorCode.INVALID_EVENT));
    }

    @Test
    void malformedBodiesAreRequestErrorsWithPosition() {
        assertThatThrownBy(() -> decoder.decodeJson(utf8("[{\"id\": 1},\n {\"id\" 2}]")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
                    assertThat(e.getMessage()).contains("line 2, column 8");
                });
        assertThatThrownBy(() -> decoder.decodeJson(utf8("  ")))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> decoder.decodeJson(utf8("\"just a string\"")))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void tooManyEventsIsABatchError() {
        assertThatThrownBy(() -> decoder.decodeJson(utf8("[{},{},{},{}]")))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE));
        assertThatThrownBy(() -> decoder.decodeNdjson(utf8("{}\n{}\n{}\n{}\n")))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE));
    }

    @Test
    void ndjsonSkipsBlankLinesAndRejectsOnlyTheBadLine() {
        List<Candidate> items = decoder.decodeNdjson(utf8("{\"id\":\"a\"}\r\n\n{\"id\":\n{\"id\":\"c\"}"));
        assertThat(items).hasSize(3);
        assertThat(items.get(0)).isInstanceOf(Candidate.Event.class);
        assertThat(items.get(1)).isInstanceOfSatisfying(Candidate.Rejected.class, r -> {
            assertThat(r.rejection().code()).isEqualTo(ErrorCode.MALFORMED_JSON);
            assertThat(r.rejection().message()).startsWith("line 3 is not well-formed JSON");
        });
        assertThat(items.get(2)).isInstanceOf(Candidate.Event.class);
        assertThatThrownBy(() -> decoder.decodeNdjson(utf8("\n\n"))).isInstanceOf(GatewayException.class);
    }
}
