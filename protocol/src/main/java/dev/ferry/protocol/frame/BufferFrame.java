package dev.ferry.protocol.frame;

import dev.ferry.protocol.data.Chunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A CHUNK frame whose payload is a buffer rather than an array: bytes a file was read into in
 * native memory, which {@link FrameEncoder} writes as they are, after the frame's prefix. Holding
 * the frame holds the buffer; the pipeline releases it once written.
 */
public final class BufferFrame extends DefaultByteBufHolder {
    private final int streamId;
    private final Chunk header;

    public BufferFrame(int streamId, Chunk header, ByteBuf payload) {
        super(payload);
        this.streamId = streamId;
        this.header = header;
    }

    public int streamId() {
        return streamId;
    }

    public Chunk header() {
        return header;
    }

    /** Payload bytes, as they go on the wire. */
    public int payloadLength() {
        return content().readableBytes();
    }

    @Override
    public String toString() {
        return "BufferFrame[CHUNK stream=" + streamId + " payload=" + payloadLength() + "]";
    }
}
