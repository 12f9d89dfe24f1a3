package dev.ferry.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The bytes of benchmark files, from a seed: random (incompressible), or text that compresses
 * about as real text does (log lines, JSON records, prose-like text: 3 to 6 times with zstd or
 * deflate at a fast level: every line carries random ids, numbers and times).
 */
enum Content {
    RANDOM, LOG, JSON, TEXT;

    private static final String[] LEVELS = {"INFO ", "DEBUG", "WARN ", "INFO ", "INFO ", "ERROR"};
    private static final String[] SERVICES = {"ingest", "billing", "search", "auth", "render", "export", "mailer", "scheduler"};
    private static final String[] WORDS = {"the", "transfer", "of", "files", "between", "storage", "systems", "must", "verify",
        "every", "byte", "and", "keep", "metadata", "while", "agents", "stream", "chunks", "over", "links", "that", "drop",
        "packets", "under", "load", "so", "retries", "are", "bounded", "by", "deadlines", "operators", "choose"};

    /** Fills {@code out} with this kind's bytes, from {@code random}. */
    void fill(byte[] out, SplittableRandom random) {
        if (this == RANDOM) {
            random.nextBytes(out);
            return;
        }
        StringBuilder text = new StringBuilder(out.length + 256);
        while (text.length() < out.length) {
            switch (this) {
                case LOG -> logLine(text, random);
                case JSON -> jsonRecord(text, random);
                default -> sentence(text, random);
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, out, 0, out.length);
    }

    private static void logLine(StringBuilder out, SplittableRandom r) {
        out.append("2026-03-14T").append(two(9 + r.nextInt(3))).append(':').append(two(r.nextInt(60))).append(':')
                .append(two(r.nextInt(60))).append("Z ").append(LEVELS[r.nextInt(LEVELS.length)]).append(" [")
                .append(SERVICES[r.nextInt(SERVICES.length)]).append("-worker-").append(r.nextInt(8)).append("] request=")
                .append(Integer.toHexString(r.nextInt(1 << 16))).append(" user=").append(r.nextInt(1000)).append(" bytes=")
                .append(r.nextInt(64) * 1024).append(" ms=").append(r.nextInt(300)).append(" status=")
                .append(r.nextInt(10) == 0 ? 500 : 200).append('\n');
    }

    private static void jsonRecord(StringBuilder out, SplittableRandom r) {
        out.append("{\"id\":").append(r.nextInt(1 << 20)).append(",\"service\":\"")
                .append(SERVICES[r.nextInt(SERVICES.length)]).append("\",\"region\":\"eu-").append(r.nextInt(4))
                .append("\",\"count\":").append(r.nextInt(1000)).append(",\"active\":").append(r.nextBoolean())
                .append(",\"tags\":[\"").append(WORDS[r.nextInt(WORDS.length)]).append("\",\"")
                .append(WORDS[r.nextInt(WORDS.length)]).append("\"]}\n");
    }

    private static void sentence(StringBuilder out, SplittableRandom r) {
        int words = 6 + r.nextInt(12);
        for (int i = 0; i < words; i++) {
            out.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        out.append(r.nextInt(5) == 0 ? " (" + r.nextInt(10_000) + ").\n" : ". ");
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
