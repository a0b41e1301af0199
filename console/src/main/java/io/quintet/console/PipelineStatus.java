package io.quintet.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quintet.model.topics.TopicCatalogue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipeline page's facts: each configured service's health endpoint, the throughput of the pipeline's topics
 * (for the topics the console reads, committed records per second of the last 10 s by record timestamp,
 * {@link TopicRates}; for events.raw, which it does not read, the growth of its end offsets between two looks at
 * least a second apart: its writers are not transactional, so no markers inflate it) and the lag of each configured consumer group
 * (end offset - committed offset, summed over its partitions; read_committed end offsets), from the Kafka Admin API.
 */
public final class PipelineStatus {
    static final List<String> TOPICS = List.of(
            TopicCatalogue.EVENTS_RAW,
            TopicCatalogue.EVENTS_CANONICAL,
            TopicCatalogue.EVENTS_DLQ,
            TopicCatalogue.METRICS,
            TopicCatalogue.ALERTS);

    private final Admin admin;
    private final ServiceClient http;
    private final Map<String, URI> healthUrls;
    private final List<String> groups;
    private final TopicCatalogue topics;
    private final TopicRates rates;
    private final Clock clock;
    private Sample previous;

    /** End offsets of every topic at one instant. */
    record Sample(Instant at, Map<String, Long> endOffsets) {}

    public PipelineStatus(
            Admin admin,
            ServiceClient http,
            Map<String, URI> healthUrls,
            List<String> groups,
            TopicCatalogue topics,
            TopicRates rates,
            Clock clock) {
        this.admin = admin;
        this.http = http;
        this.healthUrls = Map.copyOf(healthUrls);
        this.groups = List.copyOf(groups);
        this.topics = topics;
        this.rates = rates;
        this.clock = clock;
    }

    /** Blocking: asks every service and the broker; call off the event loop. */
    public ObjectNode snapshot() throws InterruptedException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("time", clock.instant().toString());
        ArrayNode services = out.putArray("services");
        for (Map.Entry<String, URI> e : new TreeMap<>(healthUrls).entrySet()) {
            ObjectNode s = services.addObject();
            s.put("name", e.getKey());
            s.put("url", e.getValue().toString());
            ServiceClient.Answer a = http.get(e.getValue());
            s.put("status", a.status());
            s.put("up", a.status() / 100 == 2);
            s.put("detail", a.error() != null ? a.error() : abbreviate(a.body(), 300));
        }
        ObjectNode broker = out.putObject("broker");
        try {
            Sample now = sample();
            broker.put("reachable", true);
            ArrayNode tput = out.putArray("topics");
            Sample before = previousAndRemember(now);
            for (String logical : TOPICS) {
                String name = topics.name(logical);
                ObjectNode t = tput.addObject();
                t.put("topic", name);
                Long end = now.endOffsets().get(name);
                t.put("end_offset", end);
                if (!logical.equals(TopicCatalogue.EVENTS_RAW)) {
                    t.put("records_per_second", Math.round(rates.perSecond(name, 10) * 10) / 10.0);
                    t.put("records_per_second_1m", Math.round(rates.perSecond(name, 60) * 10) / 10.0);
                } else if (before != null && end != null && before.endOffsets().get(name) != null) {
                    double seconds = Duration.between(before.at(), now.at()).toMillis() / 1000.0;
                    if (seconds > 0) {
                        t.put(
                                "records_per_second",
                                Math.round((end - before.endOffsets().get(name)) / seconds * 10) / 10.0);
                    }
                }
            }
            ArrayNode lag = out.putArray("consumer_groups");
            for (String group : groups) {
                lag.add(groupLag(group));
            }
        } catch (ExecutionException | TimeoutException e) {
            broker.put("reachable", false);
            broker.put("error", String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
        return out;
    }

    private synchronized Sample previousAndRemember(Sample now) {
        Sample before = previous;
        if (before == null || Duration.between(before.at(), now.at()).toMillis() >= 1_000) {
            previous = now;
        }
        return before;
    }

    private Sample sample() throws InterruptedException, ExecutionException, TimeoutException {
        Instant at = clock.instant();
        List<String> names = TOPICS.stream().map(topics::name).toList();
        Map<String, Long> ends = new HashMap<>();
        var described = admin.describeTopics(names).topicNameValues();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String name : names) {
            try {
                described
                        .get(name)
                        .get(5, TimeUnit.SECONDS)
                        .partitions()
                        .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
            } catch (ExecutionException missing) {
                ends.put(name, null); // the topic does not exist (yet): no figure
            }
        }
        ListOffsetsResult offsets = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED));
        for (var e : offsets.all().get(10, TimeUnit.SECONDS).entrySet()) {
            ends.merge(e.getKey().topic(), e.getValue().offset(), Long::sum);
        }
        return new Sample(at, ends);
    }

    private ObjectNode groupLag(String group) throws InterruptedException, TimeoutException {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        g.put("group", group);
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(5, TimeUnit.SECONDS);
            g.put("state", d.groupState().toString());
            g.put("members", d.members().size());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            long total = 0;
            Map<String, Long> perTopic = new TreeMap<>();
            for (var e : committed.entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                long lag =
                        Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                total += lag;
                perTopic.merge(e.getKey().topic(), lag, Long::sum);
            }
            g.put("lag", total);
            ObjectNode t = g.putObject("lag_by_topic");
            perTopic.forEach(t::put);
        } catch (ExecutionException e) {
            g.put("state", "UNKNOWN");
            g.put("error", String.valueOf(e.getCause()));
        }
        return g;
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return null;
        }
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
