package dev.ferry.protocol.frame;

import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s, and {@link BufferFrame}s, in the layout shown on {@link Frame}. The
 * payload is wrapped or passed on, not copied.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Object> {
    public FrameEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Frame || msg instanceof BufferFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof BufferFrame chunk) {
            out.add(prefix(ctx.alloc(), FrameType.CHUNK, 0, chunk.streamId(), chunk.header(), chunk.payloadLength()));
            out.add(chunk.content().retain());
            return;
        }
        Frame frame = (Frame) msg;
        out.add(prefix(ctx.alloc(), frame.type(), frame.flags(), frame.streamId(), frame.header(), frame.payloadLength()));
        if (frame.payloadLength() > 0) {
            out.add(Unpooled.wrappedBuffer(frame.payload(), frame.payloadOffset(), frame.payloadLength()));
        }
    }

    /** A frame up to its payload: length, prefix and header, for a payload of {@code payloadLength} bytes sent after it. */
    private static ByteBuf prefix(ByteBufAllocator alloc, FrameType type, int flags, int streamId, Message header, int payloadLength) {
        byte[] headerBytes = header.toByteArray();
        if (headerBytes.length > 0xFFFF) {
            throw new ProtocolException(type + " header of " + headerBytes.length + " bytes exceeds 65535");
        }
        ByteBuf prefix = alloc.buffer(4 + Frame.PREFIX_BYTES + headerBytes.length);
        prefix.writeInt(Frame.PREFIX_BYTES + headerBytes.length + payloadLength);
        prefix.writeByte(type.code());
        prefix.writeByte(flags);
        prefix.writeShort(headerBytes.length);
        prefix.writeInt(streamId);
        prefix.writeBytes(headerBytes);
        return prefix;
    }
}
