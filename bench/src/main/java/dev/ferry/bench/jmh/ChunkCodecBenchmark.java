package dev.ferry.bench.jmh;

import dev.ferry.protocol.frame.ChunkData;
import dev.ferry.protocol.frame.Compression;
import dev.ferry.protocol.frame.DataChannelPipeline;
import dev.ferry.protocol.frame.RawChunk;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A chunk through the data channel's own handlers, as a sender and a receiver run them (after
 * TLS): CRC32C, zstd (tried on every chunk here), framing; then unframing, decompression, the
 * CRC32C check.
 * Bytes per second of raw file content, by chunk size, content and zstd level (0: raw).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkCodecBenchmark {
    @Param({"32768", "1048576"})
    int chunkSize;
    @Param({"text", "random"})
    String content;
    @Param({"0", "1", "3"})
    int level;

    private byte[] data;
    private EmbeddedChannel sender;
    private EmbeddedChannel receiver;
    private ByteBuf encoded;

    @Setup(Level.Trial)
    public void setUp() {
        data = Payloads.of(content, chunkSize);
        sender = new EmbeddedChannel();
        DataChannelPipeline.install(sender.pipeline(), level, Compression.ALWAYS);
        receiver = new EmbeddedChannel();
        DataChannelPipeline.install(receiver.pipeline(), level, Compression.ALWAYS);
        encoded = encode();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    private ByteBuf encode() {
        sender.writeOutbound(new RawChunk(1, 0, data, data.length));
        ByteBuf frame = sender.alloc().buffer();
        for (Object out; (out = sender.readOutbound()) != null; ) {
            ByteBuf part = (ByteBuf) out;
            frame.writeBytes(part);
            part.release();
        }
        return frame;
    }

    @Benchmark
    public ByteBuf send() {
        ByteBuf frame = encode();
        frame.release();
        return frame;
    }

    @Benchmark
    public ChunkData receive() {
        receiver.writeInbound(encoded.retainedDuplicate());
        return receiver.readInbound();
    }
}
