package dev.ferry.locations;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through exactly {@code size} bytes and fails the read that would let an upload complete
 * when the source holds fewer or more, so a wrong-sized object is never made visible. The first
 * failure is remembered: HTTP clients wrap what a stream throws, and the put reports the original.
 * For drivers whose store makes an upload visible once its body ends.
 */
public final class ExactLengthInputStream extends FilterInputStream {
    private final String key;
    private final long size;
    private long remaining;
    private volatile RuntimeException failure;

    public ExactLengthInputStream(InputStream in, String key, long size) {
        super(in);
        this.key = key;
        this.size = size;
        this.remaining = size;
    }

    /** A bounded view of the next {@code length} bytes, for one multipart part. */
    public InputStream part(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                return InputStreams.readOneByte(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = ExactLengthInputStream.this.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = e instanceof RuntimeException re ? re
                        : new LocationException("SOURCE_READ_FAILED", key + ": " + e.getMessage(), e);
            }
            throw e;
        }
        if (n < 0) {
            throw fail(new SizeMismatchException(key, size, size - remaining));
        }
        remaining -= n;
        if (remaining == 0 && in.read() >= 0) {
            throw fail(new SizeMismatchException(key, size, -1));
        }
        return n;
    }

    private IOException fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        return new IOException(e.getMessage(), e);
    }

    /** The failure seen while reading, if any; it explains an upload error better than the client's. */
    public RuntimeException failure() {
        return failure;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
