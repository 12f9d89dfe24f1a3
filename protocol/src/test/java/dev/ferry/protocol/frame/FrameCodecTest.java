package dev.ferry.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.protocol.data.FileOpen;
import dev.ferry.protocol.data.Hello;
import dev.ferry.protocol.data.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static ByteBuf encode(Frame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        channel.writeOutbound(frame);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        channel.finishAndReleaseAll();
        return all;
    }

    @Test
    void aFrameSurvivesEncodingAndDecodingByteByByte() {
        FileOpen header = FileOpen.newBuilder().setKey("dir/ü file").setSize(42)
                .setMetadata(Metadata.newBuilder().setMtimeNanos(1_614_834_367_123_456_789L).setMode(0640)).build();
        byte[] payload = {1, 2, 3, 4, 5};
        ByteBuf wire = encode(new Frame(FrameType.FILE_OPEN, Frame.END_STREAM, 7, header, payload));

        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        while (wire.isReadable()) {
            decoder.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        Frame decoded = decoder.readInbound();
        assertThat(decoded.type()).isEqualTo(FrameType.FILE_OPEN);
        assertThat(decoded.streamId()).isEqualTo(7);
        assertThat(decoded.endsStream()).isTrue();
        assertThat(decoded.header(FileOpen.class)).isEqualTo(header);
        assertThat(decoded.payload()).containsExactly(payload);
        assertThat(decoder.finish()).isFalse();
    }

    @Test
    void severalFramesInOneReadAllComeOut() {
        ByteBuf wire = Unpooled.buffer();
        for (int stream = 1; stream <= 3; stream++) {
            ByteBuf one = encode(Frame.of(stream, Hello.newBuilder().addVersions(1).setExecutionId("e" + stream).build()));
            wire.writeBytes(one);
            one.release();
        }
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        decoder.writeInbound(wire);
        for (int stream = 1; stream <= 3; stream++) {
            Frame frame = decoder.readInbound();
            assertThat(frame.streamId()).isEqualTo(stream);
            assertThat(frame.header(Hello.class).getExecutionId()).isEqualTo("e" + stream);
        }
        assertThat(decoder.finish()).isFalse();
    }

    @Test
    void anUnknownFrameTypeIsAProtocolError() {
        ByteBuf wire = Unpooled.buffer().writeInt(8).writeByte(99).writeByte(0).writeShort(0).writeInt(1);
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> decoder.writeInbound(wire)).isInstanceOf(DecoderException.class)
                .hasRootCauseInstanceOf(ProtocolException.class).hasMessageContaining("unknown frame type 99");
        decoder.finishAndReleaseAll();
    }

    @Test
    void aHeaderLongerThanItsFrameIsAProtocolError() {
        ByteBuf wire = Unpooled.buffer().writeInt(9).writeByte(FrameType.HELLO.code()).writeByte(0).writeShort(500).writeInt(1).writeByte(0);
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> decoder.writeInbound(wire)).hasMessageContaining("header length 500");
        decoder.finishAndReleaseAll();
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsBuffered() {
        ByteBuf wire = Unpooled.buffer().writeInt(1 << 30).writeByte(FrameType.CHUNK.code());
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(1024));
        assertThatThrownBy(() -> decoder.writeInbound(wire)).isInstanceOf(TooLongFrameException.class);
        decoder.finishAndReleaseAll();
    }

    @Test
    void aFrameRefusesAHeaderOfTheWrongType() {
        assertThatThrownBy(() -> new Frame(FrameType.CHUNK, 0, 1, Hello.getDefaultInstance(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
