package dev.ferry.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The benchmark's datasets, each the same bytes, names and mtimes for the same seed, so every
 * run of Ferry and of each peer copies exactly the same thing:
 *
 * <ul>
 *   <li>{@link #small}: many files of 1 to 64 KiB in a three-level tree, about half compressible
 *       (log lines, JSON, text), half random;
 *   <li>{@link #large}: a few large files, every other one compressible about four times, the rest
 *       random; written a MiB at a time, so a 1 GiB file costs no more memory than a small one;
 *   <li>{@link #mutate}: the incremental step on a small set: 1 % of the files modified (half of
 *       them keeping their size, so only content or mtime tells), 0.5 % added, 0.5 % deleted.
 * </ul>
 *
 * Every file's bytes come from its own random stream (the seed and its index), so a file can be
 * made again on its own and the choice of files to change does not depend on the order of work.
 */
public final class Datasets {
    /** Every generated file's mtime, plus its index in seconds: fixed, so reruns compare equal. */
    static final Instant BASE_MTIME = Instant.parse("2026-01-01T00:00:00Z");
    /** A modified file's mtime is a day after its original one. */
    static final Duration MODIFIED_LATER = Duration.ofDays(1);
    private static final int CHUNK = 1 << 20;

    /** What a generation or mutation made. */
    public record Shape(int files, long bytes) {
    }

    /** How {@link #mutate} changed a small set. */
    public record Changes(int modifiedSameSize, int modifiedResized, int added, int deleted) {
        public int total() {
            return modifiedSameSize + modifiedResized + added + deleted;
        }
    }

    private Datasets() {
    }

    /** {@code files} small files under {@code root}: {@code dNN/dNN/dNN/fNNNNNNN.ext}, 10 × 10 × 10 directories. */
    public static Shape small(Path root, int files, long seed) {
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            bytes += writeSmall(root, i, seed, 0);
        }
        return new Shape(files, bytes);
    }

    /**
     * {@code count} empty files under {@code root}, a thousand to a directory ({@code d00000/f000}),
     * all with the same mtime: a tree whose listing is all there is to it. Made by two threads,
     * each its own directories; a tree already complete is left as it is.
     */
    public static Shape entries(Path root, int count) {
        int dirs = (count + 999) / 1000;
        java.util.stream.IntStream.range(0, dirs).parallel().forEach(d -> {
            Path dir = root.resolve(String.format("d%05d", d));
            int files = Math.min(1000, count - d * 1000);
            try {
                Files.createDirectories(dir);
                for (int f = 0; f < files; f++) {
                    Path file = dir.resolve(String.format("f%03d", f));
                    if (!Files.exists(file)) {
                        Files.createFile(file);
                        Files.setLastModifiedTime(file, FileTime.from(BASE_MTIME));
                    }
                }
                Files.setLastModifiedTime(dir, FileTime.from(BASE_MTIME));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Shape(count, 0);
    }

    /** {@code files} files of {@code fileBytes} under {@code root}/large: even ones compressible, odd ones random. */
    public static Shape large(Path root, int files, long fileBytes, long seed) {
        for (int i = 0; i < files; i++) {
            Content kind = i % 2 == 0 ? Content.LOG : Content.RANDOM;
            Path file = root.resolve("large").resolve("large-" + i + (kind == Content.RANDOM ? ".bin" : ".log"));
            SplittableRandom random = new SplittableRandom(mix(seed, i, 1));
            try {
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    byte[] chunk = new byte[CHUNK];
                    for (long left = fileBytes; left > 0; left -= CHUNK) {
                        kind.fill(chunk, random);
                        out.write(chunk, 0, (int) Math.min(CHUNK, left));
                    }
                }
                Files.setLastModifiedTime(file, FileTime.from(BASE_MTIME.plusSeconds(i)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Shape(files, files * fileBytes);
    }

    /**
     * The incremental step on a set {@link #small} made with the same {@code files} and {@code seed}:
     * per 1,000 files, 10 modified (5 of them to the same size, with new bytes and a later mtime),
     * 5 deleted, and 5 new ones added after the last.
     */
    public static Changes mutate(Path root, int files, long seed) {
        int sameSize = 0;
        int resized = 0;
        int deleted = 0;
        for (int i = 0; i < files; i++) {
            int pick = new SplittableRandom(mix(seed, i, 2)).nextInt(1000);
            try {
                if (pick < 5) {
                    writeSmall(root, i, seed, 1);
                    sameSize++;
                } else if (pick < 10) {
                    writeSmall(root, i, seed, 2);
                    resized++;
                } else if (pick < 15) {
                    Files.delete(smallPath(root, i, seed));
                    deleted++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int added = Math.max(1, files / 200);
        for (int i = files; i < files + added; i++) {
            writeSmall(root, i, seed, 0);
        }
        return new Changes(sameSize, resized, added, deleted);
    }

    /**
     * Writes small file {@code index}: {@code edit} 0 as generated, 1 the same size with other
     * bytes, 2 another size; both edits a day later.
     */
    private static long writeSmall(Path root, int index, long seed, int edit) {
        SplittableRandom shape = new SplittableRandom(mix(seed, index, 0));
        int size = 1024 + shape.nextInt(64 * 1024 - 1024 + 1);
        Content kind = kind(shape);
        if (edit == 2) {
            size = 1024 + new SplittableRandom(mix(seed, index, 4)).nextInt(64 * 1024 - 1024 + 1);
        }
        byte[] data = new byte[size];
        kind.fill(data, new SplittableRandom(mix(seed, index, edit == 0 ? 3 : 5)));
        Path file = smallPath(root, index, seed);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, data);
            Instant mtime = BASE_MTIME.plusSeconds(index);
            Files.setLastModifiedTime(file, FileTime.from(edit == 0 ? mtime : mtime.plus(MODIFIED_LATER)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return size;
    }

    /** Half random, the rest log lines, JSON and text in equal parts. */
    private static Content kind(SplittableRandom shape) {
        int k = shape.nextInt(6);
        return k < 3 ? Content.RANDOM : k == 3 ? Content.LOG : k == 4 ? Content.JSON : Content.TEXT;
    }

    static Path smallPath(Path root, int index, long seed) {
        Content kind = kind(skipSize(new SplittableRandom(mix(seed, index, 0))));
        String ext = switch (kind) {
            case RANDOM -> ".bin";
            case LOG -> ".log";
            case JSON -> ".json";
            case TEXT -> ".txt";
        };
        return root.resolve(String.format("d%02d/d%02d/d%02d/f%07d%s", index % 10, index / 10 % 10, index / 100 % 10, index, ext));
    }

    private static SplittableRandom skipSize(SplittableRandom shape) {
        shape.nextInt(64 * 1024 - 1024 + 1);
        return shape;
    }

    /** One stream's seed: the dataset's seed, the file and what the stream is for. */
    private static long mix(long seed, long index, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
