package io.quintet.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedKeysTest {
    @Test
    void padsLikeTheFormatterSoKeysWrittenBeforeSortTheSame() {
        for (long v : new long[] {0, 7, 1_796_334_059_509L, Long.MAX_VALUE, Long.MAX_VALUE - 1_796_334_059_509L, -5}) {
            assertThat(FeedKeys.pad19(v)).isEqualTo(String.format("%019d", v));
        }
    }
}
