package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreVersionTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aWriteCoversAListedVersionOfItsETagDatedWithinItsSpanOnly() {
        StoreVersion written = new StoreVersion("\"abc\"", T.minusSeconds(2), T.plusSeconds(1));
        assertThat(written.etag()).isEqualTo("abc");
        assertThat(written.covers(StoreVersion.listed("\"abc\"", T))).isTrue();
        assertThat(written.covers(StoreVersion.listed("abc", T.minusSeconds(2)))).isTrue();
        assertThat(written.covers(StoreVersion.listed("abc", T.plusSeconds(1)))).isTrue();
        assertThat(written.covers(StoreVersion.listed("abc", T.plusSeconds(1).plusNanos(1)))).isFalse();
        assertThat(written.covers(StoreVersion.listed("abc", T.minusSeconds(3)))).isFalse();
        assertThat(written.covers(StoreVersion.listed("abd", T))).isFalse();
        StoreVersion listed = StoreVersion.listed("abc", T);
        assertThat(listed.covers(StoreVersion.listed("abc", T))).isTrue();
        assertThat(listed.covers(StoreVersion.listed("abc", T.plusMillis(1)))).isFalse();
    }

    @Test
    void aSpanEndsNoEarlierThanItBegins() {
        assertThatThrownBy(() -> new StoreVersion("abc", T, T.minusNanos(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before");
    }
}
