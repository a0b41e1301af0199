package io.quintet.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** What the demo sent and what the gateway answered. Mutated by one thread (the demo driver). */
final class DemoReport {
    long sent;
    long accepted;
    long rejected;
    long sentStraightToKafka;
    int identifyAccepted;
    int erasureStatus;
    final List<String> likeIds = new ArrayList<>();
    final List<String> gatewayRejections = new ArrayList<>();
    final TreeMap<Integer, Integer> statuses = new TreeMap<>();
    /** The raw personal values sent (what the privacy scan must never find downstream of the enricher). */
    final PersonalData personalData = new PersonalData();

    /** An answer to a request that carried events for events.raw. */
    void record(GatewayClient.Answer answer, int events) {
        sent += events;
        accepted += answer.accepted();
        rejected += answer.rejected();
        statuses.merge(answer.status(), 1, Integer::sum);
    }
}
