package dev.ferry.engine.wire;

import com.google.protobuf.ByteString;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.protocol.data.FileClose;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Sends a file's bytes on a stream as chunks, then FILE_CLOSE with its size and SHA-256. */
final class ChunkSender {
    private ChunkSender() {
    }

    /**
     * @param expectedSize the size announced in FILE_OPEN; more or fewer bytes fail the file, or
     *     -1 to send whatever the stream holds
     * @return bytes sent
     */
    static long send(FrameStream stream, InputStream in, String key, long offset, long expectedSize) throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        int chunkSize = stream.connection().chunkSize();
        long sent = 0;
        while (true) {
            byte[] chunk = new byte[chunkSize];
            int n = in.readNBytes(chunk, 0, chunkSize);
            if (n == 0) {
                break;
            }
            if (expectedSize >= 0 && sent + n > expectedSize) {
                throw new SizeMismatchException(key, expectedSize, -1);
            }
            sha256.update(chunk, 0, n);
            stream.sendChunk(offset + sent, chunk, n);
            sent += n;
            if (n < chunkSize) {
                break;
            }
        }
        if (expectedSize >= 0 && sent != expectedSize) {
            throw new SizeMismatchException(key, expectedSize, sent);
        }
        stream.send(FileClose.newBuilder().setSize(offset + sent).setSha256(ByteString.copyFrom(sha256.digest())).build());
        return sent;
    }
}
