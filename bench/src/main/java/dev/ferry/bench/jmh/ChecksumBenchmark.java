package dev.ferry.bench.jmh;

import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.ContentDigest;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The checksums on the data path, over 1 MiB: CRC32C on every chunk, and the whole-file ones
 * verification uses (CRC32C and CRC32C of parts for what S3 keeps, MD5 and MD5 of parts for S3's
 * ETags where a store keeps no CRC32C, SHA-256 where a file is read back).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChecksumBenchmark {
    private byte[] data;

    @Setup
    public void setUp() {
        data = Payloads.of("random", 1 << 20);
    }

    @Benchmark
    public long crc32c() {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }

    @Benchmark
    public ContentChecksum md5() {
        return digest(ChecksumAlgorithm.MD5);
    }

    @Benchmark
    public ContentChecksum md5OfParts() {
        return digest(ChecksumAlgorithm.md5OfParts(256 << 10));
    }

    @Benchmark
    public ContentChecksum crc32cWholeFile() {
        return digest(ChecksumAlgorithm.CRC32C);
    }

    @Benchmark
    public ContentChecksum crc32cOfParts() {
        return digest(ChecksumAlgorithm.crc32cOfParts(256 << 10));
    }

    @Benchmark
    public ContentChecksum sha256() {
        return digest(ChecksumAlgorithm.SHA256);
    }

    private ContentChecksum digest(ChecksumAlgorithm algorithm) {
        ContentDigest digest = new ContentDigest(algorithm);
        digest.update(data, 0, data.length);
        return digest.finish();
    }
}
