package dev.ferry.protocol.frame;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Cuts the byte stream into {@link Frame}s, parses each header and copies the payload out, so
 * nothing downstream holds a reference-counted buffer. A frame longer than the limit, an unknown
 * type or a header that does not parse is a {@link ProtocolException} (an oversized frame a
 * {@link TooLongFrameException}), refused before its payload is buffered; the connection is of no
 * further use after one, and the rest of what arrives is dropped.
 *
 * <p>A payload goes from the bytes TLS decrypted straight into its own array as they arrive. A
 * decoder that first gathers the whole frame in one buffer copies a 1 MiB chunk twice more: into
 * that buffer, and, as the buffer is compacted under the next frame's first bytes, again (on
 * large files, 12 % of the control plane's CPU). A chunk's array keeps {@link ChunkData#ROOM}
 * free before its bytes, so that a file that arrives in one chunk can go on to an HTTP store from
 * that array, its request's head written into the room (on small files to S3, the control
 * plane's second copy of every file).
 *
 * <p>Threading: one instance per channel, called on its event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** Largest frame accepted: a maximal chunk plus room for its header. */
    public static final int DEFAULT_MAX_FRAME = (16 << 20) + 65_536;
    private static final int LENGTH_BYTES = 4;
    private static final byte[] EMPTY = new byte[0];

    private final int maxFrameLength;
    /** The frame whose payload is arriving (its prefix and header are read); payload is null between frames. */
    private FrameType type;
    private int flags;
    private int streamId;
    private Message header;
    private byte[] payload;
    /** Where the payload starts in its array: after {@link ChunkData#ROOM} for a chunk. */
    private int payloadOffset;
    private int filled;
    private boolean failed;

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME);
    }

    /** @param maxFrameLength largest frame accepted, its length field included */
    public FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (payload == null && !readHead(in)) {
                return;
            }
            int n = Math.min(in.readableBytes(), payload.length - payloadOffset - filled);
            in.readBytes(payload, payloadOffset + filled, n);
            filled += n;
            if (payloadOffset + filled == payload.length) {
                out.add(new Frame(type, flags, streamId, header, payload, payloadOffset));
                header = null;
                payload = null;
            }
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /**
     * Reads a frame's length, prefix and header once all of them have arrived, and makes the
     * array its payload goes into.
     *
     * @return whether they had arrived
     */
    private boolean readHead(ByteBuf in) {
        if (in.readableBytes() < LENGTH_BYTES) {
            return false;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length + LENGTH_BYTES > maxFrameLength) {
            throw new TooLongFrameException("frame of " + (length + LENGTH_BYTES) + " bytes exceeds " + maxFrameLength);
        }
        if (length < Frame.PREFIX_BYTES) {
            throw new ProtocolException("frame of " + length + " bytes is shorter than its prefix");
        }
        if (in.readableBytes() < LENGTH_BYTES + Frame.PREFIX_BYTES) {
            return false;
        }
        FrameType frameType = FrameType.ofCode(in.getUnsignedByte(start + LENGTH_BYTES));
        int headerLength = in.getUnsignedShort(start + LENGTH_BYTES + 2);
        if (headerLength > length - Frame.PREFIX_BYTES) {
            throw new ProtocolException(frameType + " header length " + headerLength + " exceeds the frame");
        }
        if (in.readableBytes() < LENGTH_BYTES + Frame.PREFIX_BYTES + headerLength) {
            return false;
        }
        in.skipBytes(LENGTH_BYTES + 1);
        int frameFlags = in.readUnsignedByte();
        in.skipBytes(2);
        int frameStreamId = in.readInt();
        Message frameHeader;
        try {
            // Parsed where the bytes lie: a parse from a stream would take a 4 KiB buffer per frame,
            // which on small files was the decoder's largest allocation.
            frameHeader = frameType.parser().parseFrom(in.nioBuffer(in.readerIndex(), headerLength));
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolException(frameType + " header does not parse", e);
        }
        in.skipBytes(headerLength);
        int payloadLength = (int) (length - Frame.PREFIX_BYTES - headerLength);
        type = frameType;
        flags = frameFlags;
        streamId = frameStreamId;
        header = frameHeader;
        // A chunk's bytes get room before them, for a writer that sends them on after a head of its own.
        payloadOffset = frameType == FrameType.CHUNK && payloadLength > 0 ? ChunkData.ROOM : 0;
        payload = payloadLength == 0 ? EMPTY : new byte[payloadOffset + payloadLength];
        filled = 0;
        return true;
    }
}
