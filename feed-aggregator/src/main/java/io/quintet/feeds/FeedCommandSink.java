package io.quintet.feeds;

/** Where the HTTP API sends seen/read commands: the feeds.commands topic, keyed by reader. */
public interface FeedCommandSink {
    /** Sends and waits until the command is durably stored (so a 202 means it will be applied). */
    void send(String reader, FeedCommand command);
}
