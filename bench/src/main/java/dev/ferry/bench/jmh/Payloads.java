package dev.ferry.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Benchmark inputs: random bytes, or log-like text that zstd compresses about four times. */
final class Payloads {
    private Payloads() {
    }

    static byte[] of(String content, int size) {
        SplittableRandom random = new SplittableRandom(size);
        byte[] out = new byte[size];
        if ("random".equals(content)) {
            random.nextBytes(out);
            return out;
        }
        StringBuilder text = new StringBuilder(size + 200);
        while (text.length() < size) {
            text.append("2026-03-14T10:").append(random.nextInt(10, 60)).append(':').append(random.nextInt(10, 60))
                    .append("Z INFO  [ingest-").append(random.nextInt(100)).append("] request=").append(Long.toHexString(random.nextLong()))
                    .append(" bytes=").append(random.nextInt(1_000_000)).append(" took=").append(random.nextInt(2000)).append("ms\n");
        }
        System.arraycopy(text.toString().getBytes(StandardCharsets.US_ASCII), 0, out, 0, size);
        return out;
    }
}
