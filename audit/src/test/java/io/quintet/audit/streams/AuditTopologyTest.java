package io.quintet.audit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.quintet.audit.AuditChainer;
import io.quintet.audit.chain.HashChain;
import io.quintet.audit.checkpoint.CheckpointBuilder;
import io.quintet.audit.checkpoint.CheckpointPolicy;
import io.quintet.audit.testing.TestLog;
import io.quintet.audit.verify.ChainVerifier;
import io.quintet.audit.verify.ChainedEventSource;
import io.quintet.audit.verify.ChainedRecord;
import io.quintet.audit.verify.CheckpointRecord;
import io.quintet.audit.verify.Position;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.json.CanonicalJsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The drop-in chaining step in a topology, driven by TopologyTestDriver, and its output verified. */
class AuditTopologyTest {
    private final TestLog keys = TestLog.standard(10);

    private Topology topology() {
        AuditChainer chainer = new AuditChainer(
                new HashChain(keys.hmacKeys),
                new CheckpointBuilder("out.events", keys.signer, CheckpointPolicy.of(10, Duration.ofSeconds(30))));
        StreamsBuilder b = new StreamsBuilder();
        KStream<String, CanonicalEvent> in = b.stream(
                "in", Consumed.with(Serdes.String(), new CanonicalJsonSerde()).withName("in-source"));
        AuditTopology.chain(in, chainer, "out.events", "out.checkpoints", "audit-chain")
                .to(
                        "dlq",
                        Produced.with(Serdes.String(), new CanonicalJsonSerde()).withName("dlq-sink"));
        return b.build();
    }

    private static Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "audit-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        return p;
    }

    @Test
    void chainedEventsAndCheckpointsOfTheTopologyVerifyCleanIncludingATimeSealedTail() throws Exception {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(), props())) {
            var in = driver.createInputTopic("in", new StringSerializer(), new CanonicalJsonSerde().serializer());
            var out = driver.createOutputTopic("out.events", new StringDeserializer(), new ByteArrayDeserializer());
            var cps = driver.createOutputTopic("out.checkpoints", new StringDeserializer(), new StringDeserializer());
            var dlq =
                    driver.createOutputTopic("dlq", new StringDeserializer(), new CanonicalJsonSerde().deserializer());
            for (int i = 0; i < 25; i++) {
                CanonicalEvent e = TestLog.event(0, i);
                if (i == 12) { // no canonical form: routed out, and the chain goes on without a gap
                    in.pipeInput(
                            "ps-x", e.toBuilder().correlationId("bad \ud800").build());
                }
                in.pipeInput(e.actor().pseudonym(), e);
            }
            List<String> checkpoints = new ArrayList<>(cps.readValuesToList());
            assertThat(checkpoints).hasSize(2);
            driver.advanceWallClockTime(Duration.ofSeconds(31));
            checkpoints.addAll(cps.readValuesToList());
            assertThat(checkpoints).hasSize(3);
            assertThat(dlq.readValuesToList())
                    .singleElement()
                    .extracting(CanonicalEvent::correlationId)
                    .isEqualTo("bad \ud800");

            List<TestRecord<String, byte[]>> records = out.readRecordsToList();
            assertThat(records).hasSize(25);
            assertThat(new String(
                            records.get(0).headers().lastHeader("ce_chainseq").value(), StandardCharsets.UTF_8))
                    .isEqualTo("1");
            assertThat(records.get(0).headers().lastHeader("ce_type")).isNotNull();
            List<ChainedRecord> chained = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                var r = records.get(i);
                chained.add(ChainedRecord.ofCloudEvent(
                        0, Position.offset(i), CloudEventSerde.readCloudEvent(r.headers(), r.value())));
            }
            ChainedEventSource source = new ChainedEventSource() {
                public String describe() {
                    return "out.events";
                }

                public Optional<Set<Integer>> partitions() {
                    return Optional.of(Set.of(0));
                }

                public boolean readsToEnd() {
                    return true;
                }

                public void read(Consumer<ChainedRecord> sink) {
                    chained.forEach(sink);
                }
            };
            List<CheckpointRecord> cpRecords = checkpoints.stream()
                    .map(j -> CheckpointRecord.parse(Position.offset(0), j.getBytes(StandardCharsets.UTF_8)))
                    .toList();
            VerificationReport report =
                    new ChainVerifier("out.events", keys.publicKeys, keys.hmacKeys, true).verify(source, cpRecords);
            assertThat(report.findings()).isEmpty();
            assertThat(report.partitions().get(0).checkpointsMatched()).isEqualTo(3);
            assertThat(report.partitions().get(0).lastSeq()).isEqualTo(25);
        }
    }

    @Test
    void everyProcessorStoreAndSinkIsNamed() {
        String description = topology().describe().toString();
        assertThat(description)
                .contains(
                        "Processor: audit-chain ",
                        "audit-chain-state",
                        "Sink: audit-chain-events-sink",
                        "Sink: audit-chain-checkpoints-sink",
                        "audit-chain-unchainable");
        assertThat(description).doesNotContain("KSTREAM-");
    }
}
