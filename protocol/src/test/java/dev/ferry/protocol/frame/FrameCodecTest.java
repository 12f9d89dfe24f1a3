package dev.ferry.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.protocol.data.Chunk;
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
    void largePayloadsSplitAcrossReadsComeOutWhole() {
        java.util.Random random = new java.util.Random(3);
        byte[] first = new byte[300_001];
        byte[] second = new byte[65_536];
        random.nextBytes(first);
        random.nextBytes(second);
        ByteBuf wire = Unpooled.buffer();
        for (byte[] payload : new byte[][] {first, second, new byte[0]}) {
            ByteBuf one = encode(new Frame(FrameType.CHUNK, 0, 5, Chunk.newBuilder().setRawLength(payload.length).build(), payload));
            wire.writeBytes(one);
            one.release();
        }
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        // Reads that end mid-prefix, mid-header and mid-payload, and one that holds the end of a
        // frame and the start of the next.
        while (wire.isReadable()) {
            decoder.writeInbound(wire.readRetainedSlice(Math.min(7_777, wire.readableBytes())));
        }
        wire.release();
        for (byte[] expected : new byte[][] {first, second, new byte[0]}) {
            Frame frame = decoder.readInbound();
            assertThat(frame.header(Chunk.class).getRawLength()).isEqualTo(expected.length);
            assertThat(frame.payloadBytes()).isEqualTo(expected);
            assertThat(frame.payloadOffset()).isEqualTo(expected.length == 0 ? 0 : ChunkData.ROOM);
        }
        assertThat(decoder.finish()).isFalse();
    }

    @Test
    void afterAProtocolErrorTheRestIsDropped() {
        ByteBuf wire = Unpooled.buffer().writeInt(8).writeByte(99).writeByte(0).writeShort(0).writeInt(1);
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> decoder.writeInbound(wire)).hasRootCauseInstanceOf(ProtocolException.class);
        ByteBuf valid = encode(Frame.of(1, Hello.newBuilder().addVersions(1).build()));
        decoder.writeInbound(valid);
        assertThat((Object) decoder.readInbound()).isNull();
        decoder.finishAndReleaseAll();
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
