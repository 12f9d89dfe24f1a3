package dev.ferry.engine.wire;

import dev.ferry.locations.ChannelInputStream;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.Crc32c;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.protocol.data.FileClose;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

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
        ChannelInputStream channel = in instanceof ChannelInputStream c ? c : null;
        long sent = 0;
        while (true) {
            // One byte more than expected, so that reaching the end needs no second buffer; a file
            // that grew past what was expected goes on in whole chunks.
            int length = expected < 0 || sent > expected ? chunkSize : (int) Math.min(chunkSize, expected - sent + 1);
            int n = channel != null
                    ? sendDirect(stream, channel, offset, sent, length, digest, key, expectedSize)
                    : sendArray(stream, in, offset, sent, length, digest, key, expectedSize);
            if (n == 0) {
                break;
            }
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

    /**
     * Reads up to {@code length} bytes into an array and sends them.
     *
     * @param sent bytes of the file sent before, from {@code offset}
     * @return bytes read and sent: fewer than {@code length} only at the end of the file
     */
    private static int sendArray(FrameStream stream, InputStream in, long offset, long sent, int length, ContentDigest digest, String key,
            long expectedSize) throws IOException {
        byte[] chunk = new byte[length];
        int n = in.readNBytes(chunk, 0, length);
        if (n == 0) {
            return 0;
        }
        checkSize(key, expectedSize, sent, n);
        // Computed once: the frame carries it, and a CRC32C of the whole file combines it.
        int crc = Crc32c.of(ByteBuffer.wrap(chunk, 0, n));
        digest.update(ByteBuffer.wrap(chunk, 0, n), crc);
        stream.sendChunk(offset + sent, chunk, n, crc);
        return n;
    }

    /**
     * Reads up to {@code length} bytes of a file into native memory of the connection's allocator,
     * which TLS encrypts from as it is: no copy into an array and out of it again.
     */
    private static int sendDirect(FrameStream stream, ChannelInputStream in, long offset, long sent, int length, ContentDigest digest,
            String key, long expectedSize) throws IOException {
        ByteBuf chunk = stream.connection().alloc().directBuffer(length, length);
        int n;
        int crc = 0;
        try {
            ByteBuffer target = chunk.nioBuffer(0, length);
            while (target.hasRemaining() && in.read(target) >= 0) {
                // Until the buffer is full or the file ends.
            }
            n = target.position();
            if (n > 0) {
                checkSize(key, expectedSize, sent, n);
                chunk.writerIndex(n);
                crc = Crc32c.of(chunk.nioBuffer(0, n));
                digest.update(chunk.nioBuffer(0, n), crc);
            }
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
        if (n == 0) {
            chunk.release();
            return 0;
        }
        stream.sendChunk(offset + sent, chunk, crc); // Takes the buffer over, sent or not.
        return n;
    }

    /** A file that holds more than the size announced for it fails. */
    private static void checkSize(String key, long expectedSize, long sent, int read) {
        if (expectedSize >= 0 && sent + read > expectedSize) {
            throw new SizeMismatchException(key, expectedSize, -1);
        }
    }
}
