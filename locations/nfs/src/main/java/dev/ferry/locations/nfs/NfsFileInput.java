package dev.ferry.locations.nfs;

import dev.ferry.locations.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a file with positional READs, keeping {@link NfsLocation#WINDOW} of them in flight so a
 * round trip is not paid per request. Only the server's end-of-file flag ends the file: a reply
 * shorter than asked for (NFSv3 allows it anywhere) restarts the window where that reply ended.
 * Memory: the window's worth of read buffers.
 */
final class NfsFileInput extends InputStream {
    private final Nfs3Client client;
    private final byte[] fh;
    private final String key;
    private final int readSize;
    private record PendingRead(long offset, CompletableFuture<Nfs3Client.ReadResult> reply) {
    }

    private final Deque<PendingRead> ahead = new ArrayDeque<>();
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
        return InputStreams.readOneByte(this);
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
            ahead.addLast(new PendingRead(nextOffset, client.read(fh, nextOffset, readSize, "READ " + key)));
            nextOffset += readSize;
        }
        if (ahead.isEmpty()) {
            return false;
        }
        PendingRead next = ahead.removeFirst();
        Nfs3Client.ReadResult result;
        try {
            result = Nfs3Client.await(next.reply(), "READ " + key);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (result.eof()) {
            eofSeen = true;
            dropAhead();
        } else if (result.data().length < readSize) {
            if (result.data().length == 0) {
                throw new IOException(key + ": the server returned no data before the end of the file");
            }
            dropAhead(); // read again from where this reply ended
            nextOffset = next.offset() + result.data().length;
        }
        current = result.data();
        position = 0;
        return current.length > 0 || !eofSeen;
    }

    private void dropAhead() {
        ahead.forEach(p -> p.reply().cancel(false));
        ahead.clear();
    }

    @Override
    public void close() {
        closed = true;
        dropAhead();
    }
}
