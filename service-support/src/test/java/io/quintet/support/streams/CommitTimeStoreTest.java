package io.quintet.support.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A counter per key behind a {@link CommitTimeStore}, with and without its committed values kept as objects
 * (TopologyTestDriver commits after every record, so every read after the first record of a key comes from what an
 * earlier commit wrote). Value "-" deletes the key. The counts, and what the wrapped store holds, must be the same
 * whichever way the values are kept.
 */
class CommitTimeStoreTest {
    static final String STORE = "counts";

    @ParameterizedTest(name = "committed values kept as objects: {0}")
    @ValueSource(ints = {0, 2, 1000})
    void countsAreTheSameWhetherCommittedValuesAreKeptAsObjectsOrNot(int committedValues) {
        try (TopologyTestDriver driver = driver(committedValues)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, Long> out =
                    driver.createOutputTopic("out", new StringDeserializer(), new LongDeserializer());

            for (String k : List.of("a", "b", "a", "c", "a", "b")) {
                in.pipeInput(k, "+");
            }
            in.pipeInput("a", "-");
            in.pipeInput("a", "+");
            in.pipeInput("d", "+");
            in.pipeInput("b", "+");

            assertThat(out.readKeyValuesToList())
                    .containsExactly(
                            KeyValue.pair("a", 1L),
                            KeyValue.pair("b", 1L),
                            KeyValue.pair("a", 2L),
                            KeyValue.pair("c", 1L),
                            KeyValue.pair("a", 3L),
                            KeyValue.pair("b", 2L),
                            KeyValue.pair("a", 0L),
                            KeyValue.pair("a", 1L),
                            KeyValue.pair("d", 1L),
                            KeyValue.pair("b", 3L));
            KeyValueStore<String, Long> store = driver.getKeyValueStore(STORE);
            assertThat(store.get("a")).isEqualTo(1L);
            assertThat(store.get("b")).isEqualTo(3L);
            assertThat(store.get("c")).isEqualTo(1L);
            assertThat(store.get("zz")).isNull();
        }
    }

    @Test
    void aKeyReadAsAbsentAndThenWrittenIsReadBackWithItsValue() {
        try (TopologyTestDriver driver = driver(1000)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, Long> out =
                    driver.createOutputTopic("out", new StringDeserializer(), new LongDeserializer());

            in.pipeInput("x", "-"); // reads x: absent, remembered as absent
            in.pipeInput("x", "+");
            in.pipeInput("x", "+");

            assertThat(out.readValuesToList()).containsExactly(0L, 1L, 2L);
        }
    }

    private static TopologyTestDriver driver(int committedValues) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(CommitTimeStore.builder(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
                        .withCachingEnabled(),
                committedValues));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .process(Counter::new, Named.as("count"), STORE)
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "commit-time-store-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), p);
    }

    /** Counts "+" per key; "-" deletes the key and emits 0. */
    static final class Counter implements Processor<String, String, String, Long> {
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> store;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> r) {
            long n;
            if ("-".equals(r.value())) {
                store.get(r.key());
                store.delete(r.key());
                n = 0;
            } else {
                Long old = store.get(r.key());
                n = (old == null ? 0 : old) + 1;
                store.put(r.key(), n);
            }
            context.forward(r.withValue(n));
        }
    }
}
