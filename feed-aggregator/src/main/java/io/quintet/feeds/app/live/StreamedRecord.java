package io.quintet.feeds.app.live;

/** What one topic record becomes on a stream: an SSE event type and its data (JSON, one line). */
public record StreamedRecord(String type, byte[] json) {}
