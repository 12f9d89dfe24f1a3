package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path temp;

    /** Every file by name: its SHA-256, size and mtime. */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(p);
                files.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                        + " " + bytes.length + " " + Files.getLastModifiedTime(p).toInstant());
            }
        }
        return files;
    }

    /** Compressed size over raw size at deflate's fastest level, as a stand-in for zstd level 1. */
    private static double ratio(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length + 1024];
        long compressed = 0;
        while (!deflater.finished()) {
            compressed += deflater.deflate(out);
        }
        deflater.end();
        return (double) data.length / compressed;
    }

    @Test
    void theSameSeedMakesTheSameTreeAndAnotherSeedAnother() throws Exception {
        Datasets.small(temp.resolve("a"), 300, 42);
        Datasets.small(temp.resolve("b"), 300, 42);
        Datasets.small(temp.resolve("c"), 300, 43);
        assertThat(tree(temp.resolve("a"))).isEqualTo(tree(temp.resolve("b")));
        assertThat(tree(temp.resolve("a"))).isNotEqualTo(tree(temp.resolve("c")));
    }

    @Test
    void smallFilesAreOneTo64KibInAThreeLevelTreeHalfOfThemCompressible() throws Exception {
        Path root = temp.resolve("small");
        Datasets.Shape shape = Datasets.small(root, 600, 7);
        Map<String, String> files = tree(root);
        assertThat(files).hasSize(600);
        assertThat(files.keySet()).allMatch(k -> k.matches("d\\d\\d/d\\d\\d/d\\d\\d/f\\d{7}\\.(bin|log|json|txt)"));
        long total = 0;
        int random = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            long size = Long.parseLong(f.getValue().split(" ")[1]);
            assertThat(size).isBetween(1024L, 65536L);
            total += size;
            byte[] bytes = Files.readAllBytes(root.resolve(f.getKey()));
            if (f.getKey().endsWith(".bin")) {
                random++;
                assertThat(ratio(bytes)).as(f.getKey()).isLessThan(1.01);
            } else {
                assertThat(ratio(bytes)).as(f.getKey()).isBetween(2.5, 8.0);
            }
        }
        assertThat(shape.bytes()).isEqualTo(total);
        assertThat(random).as("about half random").isBetween(250, 350);
    }

    @Test
    void largeFilesAreWrittenInChunksEveryOtherCompressibleAboutFourTimes() throws Exception {
        long size = 3L * 1024 * 1024 + 17; // not a whole number of chunks
        Datasets.Shape shape = Datasets.large(temp, 2, size, 5);
        assertThat(shape).isEqualTo(new Datasets.Shape(2, 2 * size));
        byte[] text = Files.readAllBytes(temp.resolve("large/large-0.log"));
        byte[] random = Files.readAllBytes(temp.resolve("large/large-1.bin"));
        assertThat(text).hasSize((int) size);
        assertThat(random).hasSize((int) size);
        assertThat(ratio(text)).isBetween(3.0, 6.0);
        assertThat(ratio(random)).isLessThan(1.01);
    }

    @Test
    void theIncrementalStepChangesOnePercentAddsAndDeletesHalfAPercentDeterministically() throws Exception {
        int files = 2000;
        Path root = temp.resolve("inc");
        Path twin = temp.resolve("twin");
        Datasets.small(root, files, 11);
        Datasets.small(twin, files, 11);
        Map<String, String> before = tree(root);
        Datasets.Changes changes = Datasets.mutate(root, files, 11);
        assertThat(Datasets.mutate(twin, files, 11)).isEqualTo(changes);
        Map<String, String> after = tree(root);
        assertThat(after).as("the same seed, the same changes").isEqualTo(tree(twin));

        // Per 1,000: 10 modified (5 to the same size), 5 deleted, 5 added; drawn per file, so near those.
        assertThat(changes.modifiedSameSize() + changes.modifiedResized()).isBetween(10, 32);
        assertThat(changes.modifiedSameSize()).isBetween(4, 18);
        assertThat(changes.deleted()).isBetween(4, 18);
        assertThat(changes.added()).isEqualTo(10);
        assertThat(after).hasSize(files - changes.deleted() + changes.added());

        int sameSize = 0;
        int resized = 0;
        for (Map.Entry<String, String> was : before.entrySet()) {
            String now = after.get(was.getKey());
            if (now == null || now.equals(was.getValue())) {
                continue;
            }
            List<String> w = List.of(was.getValue().split(" "));
            List<String> n = List.of(now.split(" "));
            assertThat(n.get(0)).as("new bytes").isNotEqualTo(w.get(0));
            assertThat(java.time.Instant.parse(n.get(2))).as("a later mtime")
                    .isEqualTo(java.time.Instant.parse(w.get(2)).plus(Datasets.MODIFIED_LATER));
            if (n.get(1).equals(w.get(1))) {
                sameSize++;
            } else {
                resized++;
            }
        }
        assertThat(sameSize).isEqualTo(changes.modifiedSameSize());
        // A resized file may draw its old size again, rarely: then it counts as same-size above.
        assertThat(sameSize + resized).isEqualTo(changes.modifiedSameSize() + changes.modifiedResized());
    }

    @Test
    void aFileCanBeMadeAgainOnItsOwn() throws IOException {
        Datasets.small(temp, 50, 3);
        Path one = Datasets.smallPath(temp, 17, 3);
        byte[] original = Files.readAllBytes(one);
        Files.delete(one);
        Datasets.small(temp, 50, 3);
        assertThat(Files.readAllBytes(one)).isEqualTo(original);
    }

    @Test
    void entriesAreEmptyFilesAThousandToADirectoryAndMakingThemAgainChangesNothing() throws Exception {
        Datasets.Shape shape = Datasets.entries(temp.resolve("e"), 2500);
        assertThat(shape.files()).isEqualTo(2500);
        Map<String, String> first = tree(temp.resolve("e"));
        assertThat(first).hasSize(2500).containsKeys("d00000/f000", "d00002/f499").doesNotContainKey("d00002/f500");
        Datasets.entries(temp.resolve("e"), 2500);
        assertThat(tree(temp.resolve("e"))).isEqualTo(first);
    }
}
