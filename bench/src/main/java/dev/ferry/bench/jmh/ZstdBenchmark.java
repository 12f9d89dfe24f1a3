package dev.ferry.bench.jmh;

import com.github.luben.zstd.Zstd;
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

/** zstd alone on 1 MiB: what each level costs and saves, on text and on random bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZstdBenchmark {
    @Param({"text", "random"})
    String content;
    @Param({"1", "3", "6"})
    int level;

    private byte[] data;
    private byte[] compressed;
    private byte[] out;
    private int compressedLength;

    @Setup(Level.Trial)
    public void setUp() {
        data = Payloads.of(content, 1 << 20);
        out = new byte[data.length];
        compressed = new byte[(int) Zstd.compressBound(data.length)];
        compressedLength = (int) Zstd.compressByteArray(compressed, 0, compressed.length, data, 0, data.length, level);
        System.out.printf("%n%s at level %d: %.2f times smaller%n", content, level, (double) data.length / compressedLength);
    }

    @Benchmark
    public long compress() {
        return Zstd.compressByteArray(compressed, 0, compressed.length, data, 0, data.length, level);
    }

    @Benchmark
    public long decompress() {
        return Zstd.decompressByteArray(out, 0, out.length, compressed, 0, compressedLength);
    }
}
