package dev.ferry.engine.wire;

import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.protocol.data.FileClose;
import java.io.IOException;
import java.io.InputStream;

/** Sends a file's bytes on a stream as chunks, then FILE_CLOSE with its size and whole-file checksum. */
final class ChunkSender {
    private ChunkSender() {
    }

    /**
     * @param expectedSize the size announced in FILE_OPEN; more or fewer bytes fail the file, or
     *     -1 to send whatever the stream holds
     * @param sizeHint how many bytes the stream probably holds (a file's size when it was
     *     stat'ed), so that a small file does not cost a whole chunk's buffer; -1 when unknown
     * @param algorithm the whole-file checksum FILE_CLOSE carries
     * @return bytes sent
     */
    static long send(FrameStream stream, InputStream in, String key, long offset, long expectedSize, long sizeHint,
            ChecksumAlgorithm algorithm) throws IOException {
        ContentDigest digest = new ContentDigest(algorithm);
        int chunkSize = stream.connection().chunkSize();
        long expected = expectedSize >= 0 ? expectedSize : sizeHint;
        long sent = 0;
        while (true) {
            // One byte more than expected, so that reaching the end needs no second buffer; a file
            // that grew past what was expected goes on in whole chunks.
            int length = expected < 0 || sent > expected ? chunkSize : (int) Math.min(chunkSize, expected - sent + 1);
            byte[] chunk = new byte[length];
            int n = in.readNBytes(chunk, 0, length);
            if (n == 0) {
                break;
            }
            if (expectedSize >= 0 && sent + n > expectedSize) {
                throw new SizeMismatchException(key, expectedSize, -1);
            }
            digest.update(chunk, 0, n);
            stream.sendChunk(offset + sent, chunk, n);
            sent += n;
            if (n < length) {
                break;
            }
        }
        if (expectedSize >= 0 && sent != expectedSize) {
            throw new SizeMismatchException(key, expectedSize, sent);
        }
        stream.send(FileClose.newBuilder().setSize(offset + sent).setChecksum(WireConverters.toWire(digest.finish())).build());
        return sent;
    }
}
