package io.quintet.feeds;

/**
 * A feed command from the fan-out and whether its reader is the key the fan-out was processing. The fan-out and the
 * writer run in one task per pseudonym partition (events.canonical, feeds-by-actor, feeds-by-recipient and
 * feeds.commands are co-partitioned), so a command for that same key (the actor's own flat feed, a notification keyed
 * by its recipient) is applied right there, and only a command for another reader (a follower's timeline, a follow
 * edge) crosses the feeds-by-recipient repartition. Never serialized: it lives between two processors of one task.
 */
record Routed(FeedCommand command, boolean local) {}
