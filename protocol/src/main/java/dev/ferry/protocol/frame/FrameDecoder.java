package dev.ferry.protocol.frame;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;

/**
 * Cuts the byte stream into {@link Frame}s, parses each header and copies the payload out, so
 * nothing downstream holds a reference-counted buffer. A frame longer than the limit, an unknown
 * type or a header that does not parse is a {@link ProtocolException}.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    /** Largest frame accepted: a maximal chunk plus room for its header. */
    public static final int DEFAULT_MAX_FRAME = (16 << 20) + 65_536;

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME);
    }

    public FrameDecoder(int maxFrameLength) {
        super(maxFrameLength, 0, 4, 0, 4);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf body = (ByteBuf) super.decode(ctx, in);
        if (body == null) {
            return null;
        }
        try {
            if (body.readableBytes() < Frame.PREFIX_BYTES) {
                throw new ProtocolException("frame of " + body.readableBytes() + " bytes is shorter than its prefix");
            }
            FrameType type = FrameType.ofCode(body.readUnsignedByte());
            int flags = body.readUnsignedByte();
            int headerLength = body.readUnsignedShort();
            int streamId = body.readInt();
            if (headerLength > body.readableBytes()) {
                throw new ProtocolException(type + " header length " + headerLength + " exceeds the frame");
            }
            Message header;
            try (ByteBufInputStream headerBytes = new ByteBufInputStream(body.readSlice(headerLength))) {
                header = type.parser().parseFrom(headerBytes);
            } catch (InvalidProtocolBufferException e) {
                throw new ProtocolException(type + " header does not parse", e);
            } catch (IOException e) {
                throw new ProtocolException(type + " header could not be read", e);
            }
            byte[] payload = new byte[body.readableBytes()];
            body.readBytes(payload);
            return new Frame(type, flags, streamId, header, payload);
        } finally {
            body.release();
        }
    }
}
