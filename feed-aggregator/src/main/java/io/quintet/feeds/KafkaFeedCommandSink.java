package io.quintet.feeds;

import io.quintet.feeds.app.http.ApiException;
import io.quintet.feeds.stream.JsonSerde;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Idempotent, acks=all producer of feed commands. */
public final class KafkaFeedCommandSink implements FeedCommandSink, AutoCloseable {
    private final KafkaProducer<String, FeedCommand> producer;
    private final String topic;

    public KafkaFeedCommandSink(String bootstrap, Map<String, Object> clientOverrides, String topic) {
        Map<String, Object> p = new LinkedHashMap<>(clientOverrides);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new JsonSerde<>(FeedCommand.class).serializer());
        this.topic = topic;
    }

    @Override
    public void send(String reader, FeedCommand command) {
        try {
            producer.send(new ProducerRecord<>(topic, reader, command)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while storing the command");
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("the command could not be stored; retry");
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
