package dev.ferry.locations.nfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a file with positional READs, keeping {@link NfsLocation#WINDOW} of them in flight so a
 * round trip is not paid per request. Memory: the window's worth of read buffers.
 */
final class NfsFileInput extends InputStream {
    private final Nfs3Client client;
    private final byte[] fh;
    private final String key;
    private final int readSize;
    private final Deque<CompletableFuture<Nfs3Client.ReadResult>> ahead = new ArrayDeque<>();
    private long nextOffset;
    private boolean eofSeen;
    private byte[] current = new byte[0];
    private int position;
    private boolean closed;

    NfsFileInput(Nfs3Client client, byte[] fh, String key, long offset, int readSize) {
        this.client = client;
        this.fh = fh;
        this.key = key;
        this.readSize = readSize;
        this.nextOffset = offset;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException(key + ": read after close");
        }
        if (len == 0) {
            return 0;
        }
        while (position == current.length) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    /** Takes the next reply, keeping the window full; false at the end of the file. */
    private boolean fill() throws IOException {
        while (!eofSeen && ahead.size() < NfsLocation.WINDOW) {
            ahead.addLast(client.read(fh, nextOffset, readSize, "READ " + key));
            nextOffset += readSize;
        }
        if (ahead.isEmpty()) {
            return false;
        }
        Nfs3Client.ReadResult result;
        try {
            result = Nfs3Client.await(ahead.removeFirst(), "READ " + key);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (result.eof() || result.data().length < readSize) {
            // Past the end: the requests after this one read nothing, or the file ends here.
            eofSeen = true;
            ahead.forEach(f -> f.cancel(false));
            ahead.clear();
        }
        current = result.data();
        position = 0;
        return current.length > 0 || !eofSeen;
    }

    @Override
    public void close() {
        closed = true;
        ahead.forEach(f -> f.cancel(false));
        ahead.clear();
    }
}
