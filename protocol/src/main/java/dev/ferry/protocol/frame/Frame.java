package dev.ferry.protocol.frame;

import com.google.protobuf.Message;
import java.util.Objects;

/**
 * One decoded data-channel frame, owning its bytes (no reference counting leaves the codec).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                   length of the rest (u32)                    |
 * +---------------+---------------+-------------------------------+
 * |   type (u8)   |  flags (u8)   |      header length (u16)      |
 * +---------------+---------------+-------------------------------+
 * |                        stream id (u32)                        |
 * +---------------------------------------------------------------+
 * |          header: the type's protobuf message (header length)  |
 * +---------------------------------------------------------------+
 * |          payload: raw bytes, the rest of the frame            |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * @param type what the frame is; decides the header's message type
 * @param flags {@link #END_STREAM} and reserved bits
 * @param streamId the request the frame belongs to; 0 for the connection itself
 * @param header the protobuf header
 * @param payload holds the raw bytes after the header (chunk data), often none, from
 *     {@code payloadOffset} to its end
 * @param payloadOffset where the payload starts in {@code payload}: a received chunk's bytes have
 *     room before them ({@link ChunkData#ROOM}), 0 elsewhere
 */
public record Frame(FrameType type, int flags, int streamId, Message header, byte[] payload, int payloadOffset) {
    /** The last frame the sender will send on this stream. */
    public static final int END_STREAM = 0x1;
    /** Fixed bytes after the length field: type, flags, header length, stream id. */
    public static final int PREFIX_BYTES = 8;
    private static final byte[] EMPTY = new byte[0];

    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        Objects.checkIndex(payloadOffset, payload.length + 1);
        if (type.headerClass() != header.getClass()) {
            throw new IllegalArgumentException(type + " frames carry " + type.headerClass().getSimpleName()
                    + ", not " + header.getClass().getSimpleName());
        }
    }

    /** A frame whose payload is all of {@code payload}. */
    public Frame(FrameType type, int flags, int streamId, Message header, byte[] payload) {
        this(type, flags, streamId, header, payload, 0);
    }

    public static Frame of(int streamId, Message header) {
        return new Frame(FrameType.of(header), 0, streamId, header, EMPTY);
    }

    public static Frame last(int streamId, Message header) {
        return new Frame(FrameType.of(header), END_STREAM, streamId, header, EMPTY);
    }

    public int payloadLength() {
        return payload.length - payloadOffset;
    }

    /** The payload's bytes alone: the array itself when nothing is before them, else a copy. */
    public byte[] payloadBytes() {
        return payloadOffset == 0 ? payload : java.util.Arrays.copyOfRange(payload, payloadOffset, payload.length);
    }

    public boolean endsStream() {
        return (flags & END_STREAM) != 0;
    }

    @SuppressWarnings("unchecked")
    public <T extends Message> T header(Class<T> expected) {
        if (!expected.isInstance(header)) {
            throw new ProtocolException("expected a " + expected.getSimpleName() + " frame on stream " + streamId + ", got " + type);
        }
        return (T) header;
    }

    @Override
    public String toString() {
        return "Frame[" + type + " stream=" + streamId + " flags=" + flags + " payload=" + payloadLength() + "]";
    }
}
