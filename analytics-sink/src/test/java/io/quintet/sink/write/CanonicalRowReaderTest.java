package io.quintet.sink.write;

import static io.quintet.sink.write.EventTableLayout.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.canonical.CanonicalForm;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.EventDecodingException;
import io.quintet.model.cloudevents.CloudEventMapper;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.fixtures.EventFixtures;
import io.quintet.model.json.CanonicalJson;
import io.quintet.sink.fixtures.SinkHarness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's straight JSON-to-row path ({@link CanonicalRowReader}, {@link RecordDecoder}) against the reference: the
 * domain binding ({@code CloudEventMapper.fromCloudEvent}) flattened by {@link FlatEvent#of}. Every column of the row
 * is compared, for the fixtures, generated events, and JSON in unusual but valid forms; forms the reader does not
 * handle must fall back to the reference and give its row or its typed failure.
 */
class CanonicalRowReaderTest {
    private final CanonicalRowReader reader = new CanonicalRowReader();
    private final EventRowMapper mapper = new EventRowMapper(SCHEMA);
    private final RecordDecoder decoder = new RecordDecoder(mapper, 1);

    @AfterEach
    void close() {
        decoder.close();
    }

    private static List<CanonicalEvent> events() {
        List<CanonicalEvent> events = new ArrayList<>(List.of(
                EventFixtures.login(),
                EventFixtures.failedLogin("evt-failed-1", EventFixtures.T0),
                EventFixtures.invoiceCreated(),
                EventFixtures.failedWorkflowRun(),
                EventFixtures.invoiceCreated().withOrganizationId("org-4711")));
        for (int i = 0; i < 60; i++) {
            events.add(SinkHarness.event(i));
        }
        return events;
    }

    /** The reference row of canonical JSON: bound to the domain object, then flattened. */
    private Record referenceRow(byte[] json) {
        return row(FlatEvent.of(CanonicalJson.fromBytes(json)));
    }

    private Record row(FlatEvent f) {
        return ((EventRowMapper.RowResult.Row) mapper.toRow(f, 3, 99, ChainColumns.NONE)).record();
    }

    private static void assertSameColumns(Record actual, Record expected, String what) {
        for (Types.NestedField field : SCHEMA.columns()) {
            assertThat(actual.getField(field.name()))
                    .as(what + ": column " + field.name())
                    .isEqualTo(expected.getField(field.name()));
        }
    }

    @Test
    void theJsonOfEveryFixtureGivesTheSameRowAsTheDomainBinding() {
        for (CanonicalEvent e : events()) {
            byte[] json = CanonicalJson.toBytes(e);
            FlatEvent f = reader.read(json);
            assertThat(f).as("plain JSON of " + e.id()).isNotNull();
            assertSameColumns(row(f), referenceRow(json), e.id());
        }
    }

    @Test
    void theDataTheAuditChainWritesIsReadOnTheHotPath() {
        // with audit.enabled the enricher writes the data through CanonicalForm.write: members sorted (so the JSON
        // columns hold them in name order), an integral double as an integer (failedWorkflowRun's 30012.0 as 30012)
        for (CanonicalEvent e : events()) {
            byte[] json = CanonicalForm.write(e).data();
            FlatEvent f = reader.read(json);
            assertThat(f).as("chained data of " + e.id()).isNotNull();
            assertSameColumns(row(f), referenceRow(json), e.id());
            assertThat(row(f).getField("duration_ms"))
                    .as(e.id())
                    .isEqualTo(row(reader.read(CanonicalJson.toBytes(e))).getField("duration_ms"));
        }
    }

    @Test
    void organizationIdIsReadIntoItsColumnOnTheHotPath() {
        FlatEvent f = reader.read(CanonicalJson.toBytes(EventFixtures.login().withOrganizationId("org-4711")));
        assertThat(f)
                .as("an event with organization_id is still the plain form")
                .isNotNull();
        assertThat(row(f).getField(EventTableLayout.ORGANIZATION_ID)).isEqualTo("org-4711");
        assertThat(row(reader.read(CanonicalJson.toBytes(EventFixtures.login())))
                        .getField(EventTableLayout.ORGANIZATION_ID))
                .isNull();
    }

    @Test
    void unusualButPlainJsonGivesTheSameRowAsTheDomainBinding() {
        List<String> jsons = List.of(
                // numbers of every shape in the free-form maps, nested arrays, nulls, escapes, non-ASCII text
                """
                {"id":"n-1","event_timestamp":"2026-11-02T09:15:30Z","source":"s","action":{"name":"billing.x.y"},\
                "entity":{"id":"e","details":{"a":1.50,"b":1e3,"c":-0,"d":123456789012345678901234567890,\
                "e":-0.0,"f":1.0E-7,"g":[1,[2.5,{"h":null}],"x"],"i":null,"j":"caf\\u00e9 \\"q\\" \\n","k":"日本",\
                "l":true,"m":{},"n":[],"o":{"p":{"q":[{},{"r":false,"s":9223372036854775807,"t":-2147483649}]}},\
                "k01":1,"k02":2,"k03":3,"k04":4,"k05":5,"k06":6,"k07":7,"k08":8,"k09":9,"k10":10,"k11":{"k01":0}}},\
                "context":{"attributes":{},"telemetry":{"trace_id":null,"span_id":"00f067aa0ba902b7","duration_ms":1.25E2}}}""",
                // nulls for every object and field, unknown nested fields (ignored by the binding)
                """
                {"id":"n-2","event_timestamp":"2026-11-02T09:15:30.123456789Z","observed_timestamp":null,"source":"s",\
                "spec_version":null,"action":{"name":"auth.user.x","type":null,"future":{"a":[1,2]}},"actor":null,\
                "entity":null,"context":{"client":{"ip_address":"203.0.113.9","user_agent":null,"extra":1},\
                "telemetry":null,"domain_specific":{"audit":{"request":null,"response":{"ok":true}},"analytics":null,\
                "other":{"x":1}},"attributes":null,"status":null,"error":null,"unknown":[{"a":1}]},\
                "correlation_id":null,"causation_id":"c"}""",
                // an integral duration written as an integer (the audit chain's data, RFC 8785's form) and a big one
                """
                {"id":"n-4","event_timestamp":"2026-11-02T09:15:30Z","source":"s","action":{"name":"ai.model.called"},                "context":{"telemetry":{"duration_ms":300}}}""",
                """
                {"id":"n-5","event_timestamp":"2026-11-02T09:15:30Z","source":"s","action":{"name":"ai.model.called"},                "context":{"telemetry":{"duration_ms":123456789012345678901234567890}}}""",
                // fields in another order, whitespace
                """
                { "context" : { "status" : "PENDING", "error" : { "message" : "m", "code" : "c" } },
                  "action" : { "type" : "other", "name" : "workflow.run.started" },
                  "source" : "s", "event_timestamp" : "2026-11-02T23:59:59.999Z", "id" : "n-3",
                  "actor" : { "details" : { "z" : 1, "a" : 2 }, "pseudonym" : "p", "type" : "user", "id" : "p" } }""");
        for (String text : jsons) {
            byte[] json = text.getBytes(StandardCharsets.UTF_8);
            FlatEvent f = reader.read(json);
            assertThat(f).as(text).isNotNull();
            assertSameColumns(row(f), referenceRow(json), text);
        }
    }

    @Test
    void formsTheReaderDoesNotHandleAreLeftToTheDomainBinding() {
        String base = "\"event_timestamp\":\"2026-11-02T09:15:30Z\",\"source\":\"s\",\"action\":{\"name\":\"a.b.c\"}";
        List<String> notPlain = List.of(
                "{\"id\":\"x\"," + base + ",\"future_field\":{\"a\":1}}", // an extension field
                "{\"id\":\"x\",\"id\":\"y\"," + base + "}", // a field twice
                "{\"id\":\"x\"," + base + ",\"actor\":{\"id\":\"a\",\"id\":\"b\"}}",
                "{\"id\":42," + base + "}", // a number the binding coerces to text
                "{\"id\":\"x\"," + base
                        + ",\"context\":{\"telemetry\":{\"duration_ms\":\"12\"}}}", // a duration as text
                "{\"id\":\"x\"," + base + ",\"context\":{\"status\":\"success\"}}", // not an enum name
                "{\"id\":\"x\",\"event_timestamp\":\"2026-11-02T10:15:30+01:00\",\"source\":\"s\",\"action\":{\"name\":\"a.b.c\"}}",
                "{\"id\":\"x\"," + base + ",\"entity\":{\"details\":[1]}}", // not an object
                "{\"id\":\"x\"," + base + ",\"entity\":{\"details\":{\"a\":1,\"b\":2,\"a\":3}}}", // a map key twice
                "{\"id\":\"x\"," + base + ",\"actor\":{\"details\":{\"a\":[{\"k\":1,\"k\":2}]}}}",
                "{\"id\":\"x\"," + base + ",\"context\":{\"client\":{\"ip_address\":{}}}}",
                "[1]",
                "null",
                "{\"id\":\"x\",",
                "not json");
        for (String text : notPlain) {
            assertThat(reader.read(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text)
                    .isNull();
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, byte[] value) {
        return new ConsumerRecord<>(
                "events.canonical",
                3,
                99,
                -1,
                TimestampType.CREATE_TIME,
                -1,
                value.length,
                null,
                value,
                headers,
                Optional.empty());
    }

    /** What the decoder made of a record before the straight path: the domain binding, flattened. */
    private RecordDecoder.Outcome reference(ConsumerRecord<byte[], byte[]> r) {
        CanonicalEvent event;
        try {
            event = CloudEventMapper.fromCloudEvent(CloudEventSerde.readCloudEvent(r.headers(), r.value()));
        } catch (EventDecodingException e) {
            return new RecordDecoder.Outcome.Undecodable(e.reason().name());
        }
        EventRowMapper.RowResult result = mapper.toRow(event, r.partition(), r.offset());
        if (result instanceof EventRowMapper.RowResult.Rejected rejected) {
            return new RecordDecoder.Outcome.Incomplete(rejected.reason());
        }
        return new RecordDecoder.Outcome.Row(
                ((EventRowMapper.RowResult.Row) result).record(),
                event.eventTimestamp().toEpochMilli());
    }

    private void assertDecodesAsReference(ConsumerRecord<byte[], byte[]> r, String what) {
        RecordDecoder.Outcome actual = decoder.decode(r);
        RecordDecoder.Outcome expected = reference(r);
        assertThat(actual.getClass()).as(what).isEqualTo(expected.getClass());
        if (expected instanceof RecordDecoder.Outcome.Row row) {
            RecordDecoder.Outcome.Row actualRow = (RecordDecoder.Outcome.Row) actual;
            assertSameColumns(actualRow.row(), row.row(), what);
            assertThat(actualRow.eventMillis()).as(what).isEqualTo(row.eventMillis());
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    @Test
    void binaryModeRecordsDecodeToTheReferenceRow() {
        for (CanonicalEvent e : events()) {
            RecordHeaders headers = new RecordHeaders();
            byte[] value = new CloudEventSerde().serializer().serialize("events.canonical", headers, e);
            assertThat(decoder.plain(CloudEventSerde.readCloudEvent(headers, value)))
                    .as("straight path for " + e.id())
                    .isNotNull();
            assertDecodesAsReference(record(headers, value), e.id());
        }
    }

    /** Binary-mode headers of the login fixture with one header replaced (or removed when value is null). */
    private static RecordHeaders loginHeadersWith(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        new CloudEventSerde().serializer().serialize("events.canonical", headers, EventFixtures.login());
        RecordHeaders changed = new RecordHeaders();
        for (Header h : headers) {
            if (!h.key().equals(key)) {
                changed.add(h);
            }
        }
        if (value != null) {
            changed.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
        return changed;
    }

    @Test
    void theEnvelopeFillsInOrContradictsTheDataAsInTheDomainMapping() {
        String withoutIdAndTrace = CanonicalJson.toJson(EventFixtures.login().toBuilder()
                .id(null)
                .context(EventFixtures.login().context().withTelemetry(null))
                .build());
        byte[] data = withoutIdAndTrace.getBytes(StandardCharsets.UTF_8);
        // the envelope supplies the id and the trace context
        assertDecodesAsReference(
                record(loginHeadersWith("ce_id", "7d0b1c8e-3f2a-4c55-9a71-0c7e2b9d4f10"), data),
                "id and trace context from the envelope");
        byte[] login = CanonicalJson.toBytes(EventFixtures.login());
        // envelope and data disagree: typed failures
        for (String[] change : new String[][] {
            {"ce_id", "other-id"},
            {"ce_source", "https://other.example.com"},
            {"ce_type", "auth.user.other"},
            {"ce_time", "2026-11-02T09:15:31Z"}
        }) {
            ConsumerRecord<byte[], byte[]> r = record(loginHeadersWith(change[0], change[1]), login);
            assertThat(decoder.decode(r))
                    .as(change[0])
                    .isEqualTo(new RecordDecoder.Outcome.Undecodable("ENVELOPE_MISMATCH"));
            assertDecodesAsReference(r, change[0]);
        }
        // no time in the envelope: nothing to check
        assertDecodesAsReference(record(loginHeadersWith("ce_time", null), login), "no ce_time");
        // broken JSON, JSON that is not canonical, and an event without an action name
        assertDecodesAsReference(
                record(loginHeadersWith("ce_id", "x"), "{\"id\":".getBytes(StandardCharsets.UTF_8)), "broken");
        assertDecodesAsReference(
                record(loginHeadersWith("ce_id", "x"), "{\"id\":\"x\",\"action\":[]}".getBytes(StandardCharsets.UTF_8)),
                "not canonical");
        assertDecodesAsReference(
                record(
                        loginHeadersWith("ce_id", "x"),
                        "{\"id\":\"x\",\"event_timestamp\":\"2026-11-02T09:15:30.123Z\",\"source\":\"https://auth.example.com/login\",\"action\":{\"name\":\" \"}}"
                                .getBytes(StandardCharsets.UTF_8)),
                "blank action name");
    }
}
