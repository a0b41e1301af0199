package io.quintet.sink.write;

import static io.quintet.sink.write.EventTableLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.audit.chain.ChainExtensions;
import io.quintet.audit.chain.ChainLink;
import io.quintet.audit.chain.Hash32;
import io.quintet.audit.verify.Archive;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.sink.fixtures.SinkHarness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the decoder fills the audit chain columns from binary- and structured-mode records. */
class ChainColumnsTest {
    private static final ChainLink LINK =
            new ChainLink(2, 17, Hash32.fromHex("ab".repeat(32)), Hash32.fromHex("cd".repeat(32)), "chain-1");
    private final RecordDecoder decoder = new RecordDecoder(new EventRowMapper(SCHEMA), 1);

    @AfterEach
    void close() {
        decoder.close();
    }

    private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, byte[] value) {
        return new ConsumerRecord<>(
                "events.canonical",
                2,
                40,
                -1,
                TimestampType.CREATE_TIME,
                -1,
                value.length,
                null,
                value,
                headers,
                Optional.empty());
    }

    private Record row(ConsumerRecord<byte[], byte[]> r) {
        RecordDecoder.Outcome outcome = decoder.decode(r);
        assertThat(outcome).isInstanceOf(RecordDecoder.Outcome.Row.class);
        return ((RecordDecoder.Outcome.Row) outcome).row();
    }

    private static void assertLink(Record row) {
        assertThat(row.getField(CHAIN_PARTITION)).isEqualTo(2);
        assertThat(row.getField(CHAIN_SEQ)).isEqualTo(17L);
        assertThat(row.getField(CHAIN_PREV)).isEqualTo("ab".repeat(32));
        assertThat(row.getField(CHAIN_HASH)).isEqualTo("cd".repeat(32));
        assertThat(row.getField(CHAIN_KEY_ID)).isEqualTo("chain-1");
    }

    @Test
    void aBinaryModeChainedRecordKeepsItsChainFieldsAndItsDataBytesVerbatim() {
        CanonicalEvent event = SinkHarness.event(7);
        RecordHeaders headers = new RecordHeaders();
        ChainExtensions.writeHeaders(headers, LINK);
        byte[] value = new CloudEventSerde().serializer().serialize("events.canonical", headers, event);
        Record row = row(record(headers, value));
        assertLink(row);
        assertThat(row.getField(EVENT_JSON)).isEqualTo(new String(value, StandardCharsets.UTF_8));
    }

    @Test
    void aStructuredModeChainedRecordKeepsItsChainFieldsAndTheJsonOfItsData() {
        CanonicalEvent event = SinkHarness.event(8);
        byte[] value = Archive.line(event, "psn-8", LINK).getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
        Record row = row(record(headers, value));
        assertLink(row);
        byte[] json = ((String) row.getField(EVENT_JSON)).getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.equals(CanonicalForm.ofData(json), CanonicalForm.of(event)))
                .as("the stored JSON has the canonical form of the event")
                .isTrue();
    }

    @Test
    void malformedChainExtensionsLandTheEventWithItsJsonButNoChainColumns() {
        CanonicalEvent event = SinkHarness.event(9);
        RecordHeaders headers = new RecordHeaders();
        ChainExtensions.writeHeaders(headers, LINK);
        headers.remove("ce_chainseq");
        headers.add("ce_chainseq", "seventeen".getBytes(StandardCharsets.UTF_8));
        byte[] value = new CloudEventSerde().serializer().serialize("events.canonical", headers, event);
        Record row = row(record(headers, value));
        for (String c : CHAIN_COLUMNS) {
            assertThat(row.getField(c)).as(c).isNull();
        }
        assertThat(row.getField(EVENT_JSON)).isEqualTo(new String(value, StandardCharsets.UTF_8));
        assertThat(row.getField(EVENT_ID)).isEqualTo("evt-9");
    }

    @Test
    void anUnchainedRecordHasNoChainColumnsAndNoEventJson() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new CloudEventSerde().serializer().serialize("events.canonical", headers, SinkHarness.event(10));
        Record row = row(record(headers, value));
        for (String c : CHAIN_COLUMNS) {
            assertThat(row.getField(c)).as(c).isNull();
        }
        assertThat(row.getField(EVENT_JSON)).isNull();
    }
}
