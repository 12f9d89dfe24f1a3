package dev.ferry.locations;

import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A file's whole content, already in memory in one array, as a stream any writer can read, and
 * which a writer that knows it can send from the array as it is. The bytes lie from
 * {@link #offset()}; what is before them is free for the writer's own use (an HTTP request's
 * head, sent with the bytes in one write). The array is the writer's once handed over.
 *
 * <p>Not thread-safe, as any stream.
 */
public final class ArrayContent extends InputStream {
    private final byte[] array;
    private final int offset;
    private final int length;
    private final OptionalInt crc32c;
    private int read;

    /**
     * @param crc32c the CRC32C of the bytes where it is known already (checked as they arrived)
     */
    public ArrayContent(byte[] array, int offset, int length, OptionalInt crc32c) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.crc32c = Objects.requireNonNull(crc32c, "crc32c");
    }

    /** The array the bytes lie in, with free room before {@link #offset()}. */
    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public OptionalInt crc32c() {
        return crc32c;
    }

    /** Whether nothing was read through the stream yet, so the writer may send the array whole. */
    public boolean untouched() {
        return read == 0;
    }

    @Override
    public int read() {
        return read < length ? array[offset + read++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (read == length) {
            return -1;
        }
        int n = Math.min(len, length - read);
        System.arraycopy(array, offset + read, b, off, n);
        read += n;
        return n;
    }

    @Override
    public int available() {
        return length - read;
    }
}
