package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetadataTextTest {
    @Test
    void nanosecondTimesKeepEveryDigitAndReadBack() {
        Instant t = Instant.ofEpochSecond(1_614_834_367, 1_234);
        assertThat(MetadataText.nanos(t)).isEqualTo("1614834367000001234ns");
        assertThat(MetadataText.nanos(Instant.ofEpochSecond(5, 999_999_999))).isEqualTo("5999999999ns");
        assertThat(MetadataText.nanos(Instant.ofEpochSecond(7))).isEqualTo("7000000000ns");
        assertThat(MetadataText.instant(MetadataText.nanos(t))).contains(t);
    }

    @Test
    void modesAreFourOctalDigitsAtLeast() {
        assertThat(MetadataText.mode(0644)).isEqualTo("0644");
        assertThat(MetadataText.mode(07)).isEqualTo("0007");
        assertThat(MetadataText.mode(04755)).isEqualTo("4755");
        assertThat(MetadataText.mode(0)).isEqualTo("0000");
    }
}
