package io.quintet.feeds.app.http;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a key of a store lives in a multi-instance deployment, so that any instance can answer any request.
 * {@link #local()} is the single-instance view (every key is here).
 */
public interface KeyRouting {

    /** The instance that actively hosts {@code key} of {@code store}; empty while it is unknown (rebalancing). */
    Optional<HostInfo> ownerOf(String store, String key);

    /** Every instance hosting a part of the store (for fan-out queries). */
    List<HostInfo> hostsOf(String store);

    HostInfo self();

    default boolean isSelf(HostInfo host) {
        return self().equals(host);
    }

    static KeyRouting local() {
        HostInfo me = new HostInfo("localhost", 0);
        return new KeyRouting() {
            @Override
            public Optional<HostInfo> ownerOf(String store, String key) {
                return Optional.of(me);
            }

            @Override
            public List<HostInfo> hostsOf(String store) {
                return List.of(me);
            }

            @Override
            public HostInfo self() {
                return me;
            }
        };
    }
}
