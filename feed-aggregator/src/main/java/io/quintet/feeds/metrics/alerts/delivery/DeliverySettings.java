package io.quintet.feeds.metrics.alerts.delivery;

import java.time.Duration;

/**
 * How alerts are delivered to webhooks.
 *
 * @param groupId        consumer group of the delivery consumer on the alerts topic (its committed offsets are what
 *                       has been delivered or dead-lettered)
 * @param backoff        attempts per destination and the waits between them
 * @param requestTimeout timeout of one HTTP attempt
 * @param startAt        where a group without committed offsets starts: {@code latest} (alerts from now on) or
 *                       {@code earliest} (every alert still on the topic)
 */
public record DeliverySettings(String groupId, Backoff backoff, Duration requestTimeout, String startAt) {}
