package dev.ferry.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Generates source trees with the shapes that break transfers, and compares trees exactly. */
public final class Trees {
    private Trees() {
    }

    /**
     * Nested and empty directories, 0-byte files, unicode and space-containing names, compressible
     * and random content, odd modes, and old nanosecond mtimes on files and directories.
     *
     * @param largeFileBytes size of one extra large random file, or 0 for none
     */
    public static void generate(Path root, long largeFileBytes) {
        try {
            Random random = new Random(42);
            Files.createDirectories(root);
            List<String> dirs = List.of("a", "a/b", "a/b/c", "empty", "with space", "ünïcødé 目录", "a-b", "deep/1/2/3/4/5");
            for (String dir : dirs) {
                Files.createDirectories(root.resolve(dir));
            }
            write(root.resolve("zero"), new byte[0]);
            write(root.resolve("a/b/c/zero too"), new byte[0]);
            write(root.resolve("with space/file with space.txt"), "spaces\n".repeat(100).getBytes());
            write(root.resolve("ünïcødé 目录/naïve 文件.csv"), "col1,col2\n1,2\n".repeat(5000).getBytes());
            write(root.resolve("a-b/x"), "x".getBytes());
            write(root.resolve("deep/1/2/3/4/5/leaf"), bytes(random, 10_000));
            for (int i = 0; i < 40; i++) {
                write(root.resolve("a/b/small-" + i + ".bin"), bytes(random, random.nextInt(70_000)));
            }
            write(root.resolve("a/compressible.log"), "INFO request served in 3 ms\n".repeat(100_000).getBytes());
            write(root.resolve("a/random-3m.bin"), bytes(random, 3_000_000));
            if (largeFileBytes > 0) {
                writeLarge(root.resolve("large.bin"), largeFileBytes, random);
            }
            Files.setPosixFilePermissions(root.resolve("a/b/small-1.bin"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.setAttribute(root.resolve("a-b/x"), "unix:mode", 04755);
            Files.setAttribute(root.resolve("empty"), "unix:mode", 0700);
            // Distinct, old, nanosecond-precise times on everything, directories last (children change them).
            try (Stream<Path> all = Files.walk(root)) {
                List<Path> paths = all.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList();
                long base = Instant.parse("2019-06-01T12:00:00Z").getEpochSecond();
                for (int i = 0; i < paths.size(); i++) {
                    Instant t = Instant.ofEpochSecond(base + i * 3601L, 123_456_789 + i);
                    Files.getFileAttributeView(paths.get(i), java.nio.file.attribute.BasicFileAttributeView.class)
                            .setTimes(FileTime.from(t), FileTime.from(t.plusSeconds(7)), null);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static void write(Path path, byte[] data) throws IOException {
        Files.write(path, data);
    }

    private static void writeLarge(Path path, long size, Random random) throws IOException {
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(path)) {
            for (long written = 0; written < size; ) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                written += n;
            }
        }
    }

    /** What a tree holds: per relative path, its type, content digest, mode and mtime. */
    public static Map<String, String> describe(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attrs.get("mode");
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? sha256(p) : "dir";
                out.put(p.equals(root) ? "." : root.relativize(p).toString(), content + " mode=" + Integer.toOctalString(mode) + " mtime="
                        + ((FileTime) attrs.get("lastModifiedTime")).toInstant());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static void assertSameTree(Path expected, Path actual) {
        assertThat(describe(actual)).containsExactlyEntriesOf(describe(expected));
    }

    /** The same files with the same bytes, whatever their metadata (for stores that keep little of it). */
    public static void assertSameContent(Path expected, Path actual) {
        assertThat(contents(actual)).containsExactlyEntriesOf(contents(expected));
    }

    private static Map<String, String> contents(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString(), sha256(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return dev.ferry.locations.ContentDigest.of(dev.ferry.locations.ChecksumAlgorithm.SHA256, in).value();
        }
    }
}
