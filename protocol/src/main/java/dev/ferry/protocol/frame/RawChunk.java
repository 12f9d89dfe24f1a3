package dev.ferry.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * File bytes to send on a stream, before compression and checksumming ({@link ChunkEncoder} does
 * both). The readable bytes of {@code data} are sent, and writing the chunk hands {@code data} over:
 * the pipeline releases it once sent. A direct buffer that a file was read into goes to TLS as it
 * is, where an array is copied into native memory first.
 *
 * @param streamId stream of the file
 * @param offset position of the first byte in the file
 * @param data the bytes
 */
public record RawChunk(int streamId, long offset, ByteBuf data) implements ReferenceCounted {

    /** The first {@code length} bytes of {@code data}; the array is not touched after it is handed over. */
    public RawChunk(int streamId, long offset, byte[] data, int length) {
        this(streamId, offset, Unpooled.wrappedBuffer(data, 0, length));
    }

    public int length() {
        return data.readableBytes();
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public RawChunk retain() {
        data.retain();
        return this;
    }

    @Override
    public RawChunk retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public RawChunk touch() {
        data.touch();
        return this;
    }

    @Override
    public RawChunk touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }
}
