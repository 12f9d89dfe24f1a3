package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentDigestTest {
    @Test
    void md5AndSha256AreTheJdksDigestsOfTheWholeContent() throws Exception {
        byte[] data = "the quick brown fox".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentDigest.of(ChecksumAlgorithm.MD5, new ByteArrayInputStream(data)).value())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
        assertThat(ContentDigest.of(ChecksumAlgorithm.SHA256, new ByteArrayInputStream(data)).toString())
                .isEqualTo("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    /** S3's multipart ETag: the MD5 of the parts' binary MD5s, a dash, the number of parts. */
    @Test
    void md5OfPartsIsTheMultipartETagWhateverTheWritesAcrossPartBoundaries() throws Exception {
        byte[] data = new byte[2500];
        new Random(5).nextBytes(data);
        MessageDigest outer = MessageDigest.getInstance("MD5");
        for (int off = 0; off < data.length; off += 1000) {
            outer.update(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(data, off, Math.min(data.length, off + 1000))));
        }
        String etag = HexFormat.of().formatHex(outer.digest()) + "-3";
        ContentDigest digest = new ContentDigest(ChecksumAlgorithm.md5OfParts(1000));
        for (int off = 0; off < data.length; off += 333) {
            digest.update(data, off, Math.min(333, data.length - off));
        }
        ContentChecksum checksum = digest.finish();
        assertThat(checksum.value()).isEqualTo(etag);
        assertThat(ContentChecksum.fromS3ETag("\"" + etag.toUpperCase() + "\"", 2500, 1000)).contains(checksum);
    }

    /** Bytes given as buffers, direct or not, across part boundaries, digest as the same bytes given as arrays. */
    @Test
    void buffersDigestAsArraysDo() {
        byte[] data = new byte[2500];
        new Random(6).nextBytes(data);
        for (ChecksumAlgorithm algorithm : new ChecksumAlgorithm[] {ChecksumAlgorithm.MD5, ChecksumAlgorithm.SHA256,
                ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.md5OfParts(1000), ChecksumAlgorithm.crc32cOfParts(1000)}) {
            ContentDigest arrays = new ContentDigest(algorithm);
            arrays.update(data, 0, data.length);
            ContentDigest buffers = new ContentDigest(algorithm);
            for (int off = 0; off < data.length; off += 777) {
                int n = Math.min(777, data.length - off);
                java.nio.ByteBuffer buffer = off % 2 == 0 ? java.nio.ByteBuffer.allocateDirect(n + 3) : java.nio.ByteBuffer.allocate(n + 3);
                buffer.put(new byte[3]).put(data, off, n).flip().position(3);
                buffers.update(buffer);
                assertThat(buffer.hasRemaining()).isFalse();
            }
            assertThat(buffers.finish()).as(algorithm.label()).isEqualTo(arrays.finish());
        }
    }

    /**
     * S3's CRC32C, whole and composite: values S3Proxy 4.1 gave for "hello" in one request, and
     * for 5 MiB of zeros and "hello" as two parts ("aL+ClA==-2").
     */
    @Test
    void crc32cAndItsCompositeOfPartsAreWhatS3Keeps() throws IOException {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentDigest.of(ChecksumAlgorithm.CRC32C, new ByteArrayInputStream(hello)))
                .isEqualTo(new ContentChecksum(ChecksumAlgorithm.CRC32C, "9a71bb4c"))
                .isEqualTo(ContentChecksum.fromS3Crc32c("mnG7TA==", 5, 5 << 20).orElseThrow());
        byte[] data = new byte[(5 << 20) + 5];
        System.arraycopy(hello, 0, data, 5 << 20, 5);
        ContentDigest digest = new ContentDigest(ChecksumAlgorithm.crc32cOfParts(5 << 20));
        for (int off = 0; off < data.length; off += 100_003) {
            digest.update(data, off, Math.min(100_003, data.length - off));
        }
        ContentChecksum checksum = digest.finish();
        assertThat(checksum).isEqualTo(new ContentChecksum(ChecksumAlgorithm.crc32cOfParts(5 << 20), "68bf8294-2"));
        assertThat(ContentChecksum.fromS3Crc32c("aL+ClA==-2", data.length, 5 << 20)).contains(checksum);
        assertThat(ContentChecksum.fromS3Crc32c("aL+ClA==-3", data.length, 5 << 20)).as("a part count this size cannot give").isEmpty();
        assertThat(ContentChecksum.fromS3Crc32c("not base64!", 5, 5 << 20)).isEmpty();
        assertThat(ContentDigest.crc32c(hello, 0, hello.length)).containsExactly(0x9a, 0x71, 0xbb, 0x4c);
    }

    @Test
    void anETagOfAnotherFormOrPartCountSaysNothing() {
        assertThat(ContentChecksum.fromS3ETag("\"0123456789abcdef0123456789abcdef-2\"", 2500, 1000)).isEmpty();
        assertThat(ContentChecksum.fromS3ETag("W/\"xyz\"", 10, 1000)).isEmpty();
        assertThat(ContentChecksum.fromS3ETag("0123456789abcdef0123456789abcdef", 10, 1000))
                .contains(new ContentChecksum(ChecksumAlgorithm.MD5, "0123456789abcdef0123456789abcdef"));
    }

    @Test
    void aDigestingStreamGivesItsChecksumOnlyOnceReadToTheEnd() throws IOException {
        byte[] data = new byte[100_000];
        new Random(6).nextBytes(data);
        ChecksummedInputStream in = ChecksummedInputStream.digesting(new ByteArrayInputStream(data), ChecksumAlgorithm.MD5);
        in.readNBytes(new byte[data.length], 0, data.length);
        assertThatThrownBy(in::checksum).isInstanceOf(IllegalStateException.class);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.checksum()).isEqualTo(ContentDigest.of(ChecksumAlgorithm.MD5, new ByteArrayInputStream(data)));
    }
}
