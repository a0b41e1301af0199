package io.quintet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quintet.audit.verify.VerificationReport;
import io.quintet.model.CanonicalEvent;
import io.quintet.model.cloudevents.CloudEventSerde;
import io.quintet.model.cloudevents.DecodeResult;
import io.quintet.model.json.CanonicalJson;
import io.quintet.model.topics.TopicCatalogue;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Everything the demo shows at the end, gathered from the running pipeline: canonical events, the post owner's
 * aggregated notification feed, the current minute's metrics per domain, the alerts, the dead-letter reasons, and
 * the Iceberg table with a sample SQL query. Each part is also available as data, for the end-to-end test.
 */
public final class PipelineSummary {
    private static final ObjectMapper JSON = CanonicalJson.newMapper();

    long canonicalEvents;
    long erasureAuditEvents;
    long rawUserIdsOnCanonical;
    final Set<String> dlqSources = new java.util.TreeSet<>();
    String feedReader;
    JsonNode notificationFeed;
    JsonNode domainMetrics;
    final List<String> alerts = new ArrayList<>();
    final Map<String, Integer> dlqReasons = new TreeMap<>();
    WarehouseReport warehouse;
    DemoReport demo;
    /** The audit verifier's verdict over events.canonical and audit.checkpoints. */
    VerificationReport audit;

    static PipelineSummary gather(PipelineSettings settings, String bootstrap, DemoReport demo, ServiceConfigs configs)
            throws Exception {
        PipelineSummary s = new PipelineSummary();
        s.demo = demo;
        TopicCatalogue topics = TopicCatalogue.defaults();
        Set<String> likeIds = Set.copyOf(demo.likeIds);
        try (TopicReader reader = new TopicReader(bootstrap)) {
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(topics.name(TopicCatalogue.EVENTS_CANONICAL))) {
                if (!(CloudEventSerde.decode(r.headers(), r.value()) instanceof DecodeResult.Decoded d)) {
                    continue;
                }
                s.canonicalEvents++;
                CanonicalEvent e = d.event();
                if (e.actor() != null
                        && e.actor().id() != null
                        && e.actor().id().matches("user-\\d+")) {
                    s.rawUserIdsOnCanonical++;
                }
                if (e.action() != null
                        && "privacy.subject.erased".equals(e.action().name())) {
                    s.erasureAuditEvents++;
                }
                if (likeIds.contains(e.id()) && e.entity() != null && e.entity().details() != null) {
                    s.feedReader = String.valueOf(e.entity().details().get("owner_id"));
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(topics.name(TopicCatalogue.EVENTS_DLQ))) {
                s.deadLetter(r);
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(topics.name(TopicCatalogue.ALERTS))) {
                s.alerts.add(describeAlert(r));
            }
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String key = configs.feedsKey();
        if (s.feedReader != null) {
            s.notificationFeed = get(
                    http,
                    settings.feedsUrl() + "/feeds/notifications/"
                            + URLEncoder.encode(s.feedReader, StandardCharsets.UTF_8) + "?limit=20",
                    key);
        }
        s.domainMetrics = get(http, settings.feedsUrl() + "/metrics/current?window=1m&dimension=domain", key);
        s.warehouse = WarehouseReport.read(configs.sink());
        s.audit = AuditCheck.verify(bootstrap, topics, configs.auditKeys());
        // last, so that the lookup's own audit event (privacy.pii.accessed) is not among the events counted above
        s.appToken = appToken(http, settings, key);
        return s;
    }

    /** Counts a record of events.dlq under its service and reason, and notes the source record it stands for. */
    void deadLetter(ConsumerRecord<byte[], byte[]> r) {
        String reason = TopicReader.header(r, "quintet.dlq.reason");
        if (reason == null) { // Kafka Streams' built-in dead-letter records name the exception instead
            String exception = TopicReader.header(r, "__streams.errors.exception");
            reason = exception == null
                    ? "(no reason header)"
                    : "streams:" + exception.substring(exception.lastIndexOf('.') + 1);
        }
        String service = TopicReader.header(r, "quintet.dlq.service");
        dlqReasons.merge(service == null ? reason : service + ":" + reason, 1, Integer::sum);
        dlqSources.add(TopicReader.header(r, "quintet.dlq.source.topic") + "/"
                + TopicReader.header(r, "quintet.dlq.source.partition") + "@"
                + TopicReader.header(r, "quintet.dlq.source.offset"));
    }

    /**
     * What an app gets: a token for the post owner asked by user id (the feed-aggregator asks the enricher's vault
     * lookup for the pseudonym, audited), the owner's notification feed read with it, and another reader's refused.
     */
    static AppToken appToken(HttpClient http, PipelineSettings settings, String key) {
        AppToken t = new AppToken();
        try {
            HttpResponse<String> issued = http.send(
                    HttpRequest.newBuilder(URI.create(settings.feedsUrl() + "/v1/tokens"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"" + DemoDay.POST_OWNER + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            t.issueStatus = issued.statusCode();
            if (issued.statusCode() != 201) {
                t.issueBody = issued.body();
                return t;
            }
            JsonNode body = JSON.readTree(issued.body());
            t.reader = body.path("reader").asText();
            String token = body.path("token").asText();
            t.ownFeedStatus = status(
                    http,
                    settings.feedsUrl() + "/feeds/notifications/" + URLEncoder.encode(t.reader, StandardCharsets.UTF_8),
                    token);
            t.otherFeedStatus = status(http, settings.feedsUrl() + "/feeds/flat/" + OTHER_READER, token);
        } catch (Exception e) {
            t.issueBody = e.getClass().getSimpleName();
        }
        return t;
    }

    /** A reader the app's token is not bound to. */
    static final String OTHER_READER = "ps_someone-else";

    /** The app-token check of the summary. */
    static final class AppToken {
        int issueStatus;
        String issueBody;
        String reader;
        int ownFeedStatus;
        int otherFeedStatus;
    }

    AppToken appToken;

    private static int status(HttpClient http, String url, String credential) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + credential)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static String describeAlert(ConsumerRecord<byte[], byte[]> r) {
        String type = TopicReader.header(r, "ce_type");
        try {
            JsonNode data = JSON.readTree(r.value());
            JsonNode details = data.at("/entity/details");
            return String.format(
                    "%-28s rule %-22s group %-14s observed %s (%s)",
                    type,
                    details.path("rule_id").asText("?"),
                    shorten(details.path("group").asText("?")),
                    details.path("observed").path("value").asText("?"),
                    details.path("severity").asText("?"));
        } catch (Exception e) {
            return type + " (undecodable body)";
        }
    }

    private static String shorten(String s) {
        return s.length() > 14 ? s.substring(0, 12) + ".." : s;
    }

    private static JsonNode get(HttpClient http, String url, String key) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + key)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return JSON.createObjectNode().put("status", r.statusCode()).put("body", r.body());
            }
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return JSON.createObjectNode().put("error", e.getClass().getSimpleName());
        }
    }

    void print(PrintStream out) {
        out.println();
        out.println("================================ Quintet demo summary ================================");
        out.printf(
                "gateway     sent %d, accepted %d, rejected at the edge %d (HTTP statuses %s); %d garbage records sent straight to Kafka%n",
                demo.sent, demo.accepted, demo.rejected, demo.statuses, demo.sentStraightToKafka);
        out.printf(
                "            edge rejections: %s; profile identify calls accepted: %d; erasure request for %s: HTTP %d%n",
                demo.gatewayRejections, demo.identifyAccepted, DemoDay.ERASED, demo.erasureStatus);
        out.printf(
                "enricher    %d canonical events on events.canonical; raw user ids among their actors: %d%s%n",
                canonicalEvents,
                rawUserIdsOnCanonical,
                rawUserIdsOnCanonical > 0 ? "  (pseudonymization is not enabled in this build)" : "");
        out.printf("dead letters %s from %d distinct source record(s) %s%n", dlqReasons, dlqSources.size(), dlqSources);
        out.printf(
                "privacy     erasure audit events (privacy.subject.erased) on events.canonical: %d%n",
                erasureAuditEvents);
        out.println("feed        notification feed of the post owner (reader " + feedReader + "):");
        if (notificationFeed != null) {
            out.printf(
                    "            unseen %s, unread %s%n",
                    notificationFeed.path("unseen").asText("?"),
                    notificationFeed.path("unread").asText("?"));
            List<JsonNode> items = new ArrayList<>();
            notificationFeed.path("items").forEach(items::add);
            // the story of the day first: the liked post, then the newest other items
            items.sort(java.util.Comparator.comparing(
                    (JsonNode i) -> !describeFeedItem(i).contains("social.post.liked")));
            items.stream().limit(6).forEach(i -> out.println("            - " + describeFeedItem(i)));
        }
        if (appToken != null) {
            if (appToken.issueStatus == 201) {
                out.printf(
                        "feed API    app token for %s asked by user id (vault lookup, audited as privacy.pii.accessed): reader %s;%n"
                                + "            its notification feed: HTTP %d; another reader's feed with it: HTTP %d%n",
                        DemoDay.POST_OWNER, appToken.reader, appToken.ownFeedStatus, appToken.otherFeedStatus);
            } else {
                out.printf(
                        "feed API    app token for %s: HTTP %d %s%n",
                        DemoDay.POST_OWNER, appToken.issueStatus, appToken.issueBody);
            }
        }
        out.println("metrics     current 1-minute window per domain:");
        for (JsonNode series : domainMetrics.path("series")) {
            out.printf(
                    "            %-14s count %5d  failures %4d  distinct actors ~%4d  p95 duration %s ms%n",
                    series.path("value").asText(),
                    series.path("count").asLong(),
                    series.path("failures").asLong(),
                    series.path("distinct_actors").asLong(),
                    series.path("duration_ms").path("p95").isMissingNode()
                            ? "-"
                            : String.format(
                                    "%.0f",
                                    series.path("duration_ms").path("p95").asDouble()));
        }
        out.println("alerts      " + alerts.size() + " alert event(s):");
        alerts.forEach(a -> out.println("            - " + a));
        warehouse.print(out);
        printAudit(out);
        out.println("======================================================================================");
    }

    private void printAudit(PrintStream out) {
        long hmacChecked = audit.partitions().values().stream()
                .mapToLong(VerificationReport.PartitionSummary::hmacChecked)
                .sum();
        long checkpoints = audit.partitions().values().stream()
                .mapToLong(VerificationReport.PartitionSummary::checkpointsMatched)
                .sum();
        out.printf(
                "audit       verifier over events.canonical + audit.checkpoints: %s: %d events in %d partitions, %d HMAC-checked, "
                        + "%d signed checkpoints matched%n",
                audit.clean() ? "INTACT" : "NOT INTACT",
                audit.events(),
                audit.partitions().size(),
                hmacChecked,
                checkpoints);
        audit.findings().forEach(f -> out.println("            FAIL " + f));
    }

    static String describeFeedItem(JsonNode entry) {
        JsonNode item = entry.has("item") ? entry.get("item") : entry;
        List<String> actors = new ArrayList<>();
        item.path("actors").forEach(a -> actors.add(a.asText()));
        long count = item.path("actor_count").asLong(actors.size());
        String who =
                actors.isEmpty() ? "someone" : actors.get(0) + (count > 1 ? " and " + (count - 1) + " other(s)" : "");
        String seen = entry.path("seen").asBoolean(item.path("seen").asBoolean(false)) ? "" : "  [unseen]";
        return String.format(
                "%s: %s %s/%s (%d activit%s, latest %s)%s",
                who,
                item.path("verb").asText(),
                item.path("object").path("type").asText(),
                item.path("object").path("id").asText(),
                item.path("activity_count").asLong(1),
                item.path("activity_count").asLong(1) == 1 ? "y" : "ies",
                item.path("time").asText(),
                seen);
    }
}
