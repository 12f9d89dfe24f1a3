package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    @Test
    void twoRunsCombineToTheCrcOfBothWhereverTheyAreSplit() {
        byte[] data = new byte[300_000];
        new Random(11).nextBytes(data);
        int whole = crc(data, 0, data.length);
        for (int split : new int[] {0, 1, 7, 8, 4095, 65_536, 131_071, 299_999, 300_000}) {
            int combined = Crc32c.combine(crc(data, 0, split), crc(data, split, data.length - split), data.length - split);
            assertThat(combined).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void manyChunksCombineInOrderToTheWholeFilesCrc() {
        byte[] data = new byte[1_000_003];
        new Random(12).nextBytes(data);
        int value = 0; // the CRC of nothing
        Random sizes = new Random(13);
        for (int offset = 0; offset < data.length; ) {
            int n = Math.min(data.length - offset, 1 + sizes.nextInt(70_000));
            value = Crc32c.combine(value, crc(data, offset, n), n);
            offset += n;
        }
        assertThat(value).isEqualTo(crc(data, 0, data.length));
    }

    @Test
    void anEmptyRunChangesNothingAndNothingBeforeARunLeavesItsOwnCrc() {
        byte[] data = {1, 2, 3};
        int crc = crc(data, 0, 3);
        assertThat(Crc32c.combine(crc, 0, 0)).isEqualTo(crc);
        assertThat(Crc32c.combine(0, crc, 3)).isEqualTo(crc);
    }

    @Test
    void aNegativeLengthIsRefused() {
        assertThatThrownBy(() -> Crc32c.combine(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The file's checksum from the chunks' own CRCs must equal the one from its bytes, parts included. */
    @Test
    void aDigestGivenKnownCrcsAgreesWithOneGivenTheBytes() {
        byte[] data = new byte[2_500_000];
        new Random(14).nextBytes(data);
        for (ChecksumAlgorithm algorithm : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32C,
                ChecksumAlgorithm.crc32cOfParts(1 << 20), ChecksumAlgorithm.crc32cOfParts(1_000_000), ChecksumAlgorithm.SHA256,
                ChecksumAlgorithm.md5OfParts(1 << 20)}) {
            ContentDigest fromBytes = new ContentDigest(algorithm);
            fromBytes.update(data, 0, data.length);
            ContentDigest fromCrcs = new ContentDigest(algorithm);
            // Chunks of 256 KiB, then bytes given as bytes between them: both kinds mix in one file.
            for (int offset = 0; offset < data.length; ) {
                int n = Math.min(data.length - offset, 256 * 1024);
                if ((offset / n) % 3 == 2) {
                    fromCrcs.update(data, offset, n);
                } else {
                    ByteBuffer chunk = ByteBuffer.wrap(data, offset, n);
                    fromCrcs.update(chunk, crc(data, offset, n));
                    assertThat(chunk.hasRemaining()).isFalse();
                }
                offset += n;
            }
            assertThat(fromCrcs.finish()).as(algorithm.toString()).isEqualTo(fromBytes.finish());
        }
    }
}
