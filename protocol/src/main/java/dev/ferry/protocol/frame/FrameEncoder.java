package dev.ferry.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s in the layout shown on {@link Frame}. The payload is wrapped, not copied.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    public FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        byte[] header = frame.header().toByteArray();
        if (header.length > 0xFFFF) {
            throw new ProtocolException(frame.type() + " header of " + header.length + " bytes exceeds 65535");
        }
        ByteBuf prefix = ctx.alloc().buffer(4 + Frame.PREFIX_BYTES + header.length);
        prefix.writeInt(Frame.PREFIX_BYTES + header.length + frame.payload().length);
        prefix.writeByte(frame.type().code());
        prefix.writeByte(frame.flags());
        prefix.writeShort(header.length);
        prefix.writeInt(frame.streamId());
        prefix.writeBytes(header);
        out.add(prefix);
        if (frame.payload().length > 0) {
            out.add(Unpooled.wrappedBuffer(frame.payload()));
        }
    }
}
