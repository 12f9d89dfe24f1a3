package dev.ferry.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import java.util.OptionalInt;

/**
 * File bytes to send on a stream, before compression and checksumming ({@link ChunkEncoder} does
 * both). The readable bytes of {@link #data()} are sent, and writing the chunk hands them over:
 * the pipeline releases the buffer once sent. A direct buffer that a file was read into goes to
 * TLS as it is, where an array is copied into native memory first.
 */
public final class RawChunk extends DefaultByteBufHolder {
    private final int streamId;
    private final long offset;
    private final boolean crcKnown;
    private final int crc32c;

    /**
     * @param streamId stream of the file
     * @param offset position of the first byte in the file
     * @param data the bytes
     */
    public RawChunk(int streamId, long offset, ByteBuf data) {
        super(data);
        this.streamId = streamId;
        this.offset = offset;
        this.crcKnown = false;
        this.crc32c = 0;
    }

    /**
     * Bytes whose CRC32C the sender computed as it read them (for the file's own checksum), which
     * the encoder then sends rather than reading the bytes once more.
     */
    public RawChunk(int streamId, long offset, ByteBuf data, int crc32c) {
        super(data);
        this.streamId = streamId;
        this.offset = offset;
        this.crcKnown = true;
        this.crc32c = crc32c;
    }

    /** The first {@code length} bytes of {@code data}; the array is not touched after it is handed over. */
    public RawChunk(int streamId, long offset, byte[] data, int length) {
        this(streamId, offset, Unpooled.wrappedBuffer(data, 0, length));
    }

    public int streamId() {
        return streamId;
    }

    public long offset() {
        return offset;
    }

    /** The CRC32C of the bytes when the sender gave it, else empty. */
    public OptionalInt crc32c() {
        return crcKnown ? OptionalInt.of(crc32c) : OptionalInt.empty();
    }

    public ByteBuf data() {
        return content();
    }

    public int length() {
        return content().readableBytes();
    }

    @Override
    public String toString() {
        return "RawChunk[stream=" + streamId + " offset=" + offset + " length=" + length() + "]";
    }
}
