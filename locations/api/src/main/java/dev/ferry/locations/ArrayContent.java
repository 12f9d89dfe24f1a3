package dev.ferry.locations;

import java.io.ByteArrayInputStream;
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
public final class ArrayContent extends ByteArrayInputStream {
    private final int offset;
    private final OptionalInt crc32c;

    /**
     * @param crc32c the CRC32C of the bytes where it is known already (checked as they arrived)
     */
    public ArrayContent(byte[] array, int offset, int length, OptionalInt crc32c) {
        super(array, Objects.checkFromIndexSize(offset, length, array.length), length);
        this.offset = offset;
        this.crc32c = Objects.requireNonNull(crc32c, "crc32c");
    }

    /** The array the bytes lie in, with free room before {@link #offset()}. */
    public byte[] array() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return count - offset;
    }

    public OptionalInt crc32c() {
        return crc32c;
    }

    /** Whether nothing was read through the stream yet, so the writer may send the array whole. */
    public boolean untouched() {
        return pos == offset;
    }
}
