package dev.ferry.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.protocol.data.Chunk;
import dev.ferry.protocol.data.Codec;
import dev.ferry.protocol.data.Error;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
    private static final int MAX = DataChannelPipeline.MAX_CHUNK_SIZE;

    private static Frame encode(RawChunk chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(1, Compression.ALWAYS));
        channel.writeOutbound(chunk);
        Frame frame = channel.readOutbound();
        channel.finish();
        return frame;
    }

    private static Object decode(Frame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(MAX));
        channel.writeInbound(frame);
        Object out = channel.readInbound();
        channel.finish();
        return out;
    }

    @Test
    void compressibleBytesTravelCompressedAndComeBackExactly() {
        byte[] text = "the same line again and again\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Frame frame = encode(new RawChunk(3, 1 << 20, text, text.length));
        assertThat(frame.header(Chunk.class).getCodec()).isEqualTo(Codec.CODEC_ZSTD);
        assertThat(frame.payload().length).isLessThan(text.length / 10);
        ChunkData data = (ChunkData) decode(frame);
        assertThat(data.streamId()).isEqualTo(3);
        assertThat(data.offset()).isEqualTo(1 << 20);
        assertThat(data.bytes()).isEqualTo(text);
        assertThat(data.wireBytes()).isEqualTo(frame.payload().length);
    }

    /** Compressing pays only while the network is what waits: bytes backed up for the socket. */
    @Test
    void chunksAreCompressedOnlyWhileWritesBackUp() {
        byte[] text = "the same line again and again\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(1));
        channel.writeOutbound(new RawChunk(1, 0, text, text.length));
        Frame fast = channel.readOutbound();
        assertThat(fast.header(Chunk.class).getCodec()).isEqualTo(Codec.CODEC_NONE);
        channel.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[(int) ChunkEncoder.BACKLOG * 2])); // Not yet taken by the socket.
        channel.writeOutbound(new RawChunk(1, text.length, text, text.length));
        ((io.netty.buffer.ByteBuf) channel.readOutbound()).release();
        Frame backedUp = channel.readOutbound();
        assertThat(backedUp.header(Chunk.class).getCodec()).isEqualTo(Codec.CODEC_ZSTD);
        channel.finish();
    }

    @Test
    void incompressibleBytesTravelRawAndNeverGrow() {
        byte[] random = new byte[100_000];
        new Random(1).nextBytes(random);
        Frame frame = encode(new RawChunk(1, 0, random, 60_000));
        assertThat(frame.header(Chunk.class).getCodec()).isEqualTo(Codec.CODEC_NONE);
        assertThat(frame.payload()).hasSize(60_000);
        assertThat(((ChunkData) decode(frame)).bytes()).isEqualTo(java.util.Arrays.copyOf(random, 60_000));
    }

    @Test
    void aFlippedBitFailsOnlyItsStream() {
        byte[] random = new byte[4096];
        new Random(2).nextBytes(random);
        Frame frame = encode(new RawChunk(5, 0, random, random.length));
        frame.payload()[100] ^= 0x10;
        Frame error = (Frame) decode(frame);
        assertThat(error.type()).isEqualTo(FrameType.ERROR);
        assertThat(error.streamId()).isEqualTo(5);
        assertThat(error.header(Error.class).getCode()).isEqualTo(ChunkDecoder.CORRUPT);
        assertThat(error.header(Error.class).getMessage()).contains("CRC32C");
    }

    /**
     * The sender's CRC32C, computed as it read the bytes, is the one that travels: bytes changed
     * between its reading and the wire fail their stream at the receiver, raw or compressed.
     */
    @Test
    void theSendersCrcTravelsAndCatchesBytesChangedAfterItWasComputed() {
        byte[] text = "the same line again and again\n".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(text);
        int sendersCrc = (int) crc.getValue();
        for (Compression compression : new Compression[] {Compression.ALWAYS, Compression.OFF}) {
            for (boolean direct : new boolean[] {true, false}) {
                String path = compression + (direct ? ", native memory" : ", array");
                Frame frame = encode(new RawChunk(7, 0, buffer(text, direct), sendersCrc), compression);
                assertThat(frame.header(Chunk.class).getCrc32C()).as(path).isEqualTo(sendersCrc);
                assertThat(((ChunkData) decode(frame)).bytes()).as(path).isEqualTo(text);

                byte[] changed = text.clone();
                changed[10] ^= 1;
                Frame error = (Frame) decode(encode(new RawChunk(7, 0, buffer(changed, direct), sendersCrc), compression));
                assertThat(error.header(Error.class).getCode()).as(path).isEqualTo(ChunkDecoder.CORRUPT);
            }
        }
    }

    private static io.netty.buffer.ByteBuf buffer(byte[] bytes, boolean direct) {
        return direct ? io.netty.buffer.Unpooled.directBuffer(bytes.length).writeBytes(bytes) : io.netty.buffer.Unpooled.wrappedBuffer(bytes.clone());
    }

    /** The frame a chunk becomes, whether as one frame or as a prefix and the chunk's own buffer. */
    private static Frame encode(RawChunk chunk, Compression compression) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(1, compression));
        channel.writeOutbound(chunk);
        Object out = channel.readOutbound();
        channel.finish();
        if (out instanceof BufferFrame buffered) {
            byte[] payload = io.netty.buffer.ByteBufUtil.getBytes(buffered.content());
            Frame frame = new Frame(FrameType.CHUNK, 0, buffered.streamId(), buffered.header(), payload);
            buffered.release();
            return frame;
        }
        return (Frame) out;
    }

    @Test
    void aDamagedCompressedPayloadIsRejected() {
        byte[] text = "abc".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Frame frame = encode(new RawChunk(9, 0, text, text.length));
        byte[] truncated = java.util.Arrays.copyOf(frame.payload(), frame.payload().length - 3);
        Frame damaged = new Frame(FrameType.CHUNK, 0, 9, frame.header(), truncated);
        assertThat(((Frame) decode(damaged)).header(Error.class).getCode()).isEqualTo(ChunkDecoder.CORRUPT);
    }

    @Test
    void aLyingRawLengthIsRejected() {
        Chunk header = Chunk.newBuilder().setRawLength(MAX + 1).setCodec(Codec.CODEC_NONE).build();
        Frame frame = new Frame(FrameType.CHUNK, 0, 2, header, new byte[10]);
        assertThat(((Frame) decode(frame)).header(Error.class).getMessage()).contains("exceeds");
    }

    /** A chunk in native memory goes out as a prefix and its own buffer, decodes to the same bytes, and is released once written. */
    @Test
    void aDirectChunkIsWrittenAsItIsAndReleased() {
        byte[] random = new byte[70_000];
        new Random(4).nextBytes(random);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(random.length).writeBytes(random);
        EmbeddedChannel sender = new EmbeddedChannel();
        DataChannelPipeline.install(sender.pipeline(), 1, Compression.OFF);
        sender.writeOutbound(new RawChunk(6, 4096, direct));
        assertThat(direct.refCnt()).as("held only by what was written").isEqualTo(1);
        EmbeddedChannel receiver = new EmbeddedChannel();
        DataChannelPipeline.install(receiver.pipeline(), 1, Compression.OFF);
        int parts = 0;
        for (Object out; (out = sender.readOutbound()) != null; parts++) {
            receiver.writeInbound(out); // The receiver releases what it reads.
        }
        assertThat(parts).isEqualTo(2);
        assertThat(direct.refCnt()).isZero();
        ChunkData data = receiver.readInbound();
        assertThat(data.streamId()).isEqualTo(6);
        assertThat(data.offset()).isEqualTo(4096);
        assertThat(data.bytes()).isEqualTo(random);
        assertThat(sender.finish()).isFalse();
        assertThat(receiver.finish()).isFalse();
    }

    /** Compressing a chunk in native memory works on a copy, and releases the buffer. */
    @Test
    void aDirectChunkIsCompressedWhereItPays() {
        byte[] text = "the same line again and again\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(text.length).writeBytes(text);
        Frame frame = encode(new RawChunk(3, 0, direct));
        assertThat(direct.refCnt()).isZero();
        assertThat(frame.header(Chunk.class).getCodec()).isEqualTo(Codec.CODEC_ZSTD);
        assertThat(((ChunkData) decode(frame)).bytes()).isEqualTo(text);
    }

    @Test
    void otherFramesPassThrough() {
        Frame done = Frame.of(4, dev.ferry.protocol.data.Done.getDefaultInstance());
        assertThat(decode(done)).isSameAs(done);
    }
}
