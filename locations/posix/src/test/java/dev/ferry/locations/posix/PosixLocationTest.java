package dev.ferry.locations.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixLocationTest extends LocationContractTest {
    @TempDir
    Path temp;
    Path root;

    @Override
    protected Location newEmptyLocation() throws Exception {
        root = Files.createDirectory(temp.resolve("root"));
        return new PosixLocationDriver().open(Map.of("path", root.toString()));
    }

    @Test
    void aSymbolicLinkIsListedButNeverFollowed() throws Exception {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("link"), outside);
        List<Entry> entries;
        try (Stream<Entry> s = location.list()) {
            entries = s.toList();
        }
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("link");
            assertThat(e.type()).isEqualTo(EntryType.SYMLINK);
        });
        assertThatThrownBy(() -> location.put("link/x", 1, FileMetadata.NONE, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> location.openRead("link/secret", 0)).isInstanceOf(InvalidKeyException.class);
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void inProgressWritesAreNeverListed() throws Exception {
        Files.writeString(root.resolve(PosixListing.TEMP_PREFIX + "0123456789abcdef"), "partial");
        Files.writeString(root.resolve("real"), "r");
        try (Stream<Entry> s = location.list()) {
            assertThat(s.map(Entry::key)).containsExactly("real");
        }
    }

    @Test
    void settingsMustNameAnAbsolutePath() {
        assertThatThrownBy(() -> new PosixLocationDriver().parse(Map.of("path", "relative/dir")))
                .hasMessageContaining("settings.path");
        assertThatThrownBy(() -> new PosixLocationDriver().parse(Map.of())).hasMessageContaining("settings.path");
        assertThatThrownBy(() -> new PosixLocationDriver().parse(Map.of("path", "/x", "paht", "/y")))
                .hasMessageContaining("settings.paht");
    }

    @Test
    void setIdAndStickyBitsSurvive() throws Exception {
        location.makeDirectory("shared/", FileMetadata.NONE.withMode(java.util.OptionalInt.of(01777)));
        assertThat(location.stat("shared/").orElseThrow().metadata().mode()).hasValue(01777);
    }

    @Test
    void zeroBlocksBecomeHolesAndTheContentStaysTheSame() throws Exception {
        int size = 8 << 20;
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, (1 << 20) + 3, (1 << 20) + 5000, (byte) 7); // data across a block boundary
        data[size - 10] = 1; // and in the last block
        location.put("sparse", size, FileMetadata.NONE, new java.io.ByteArrayInputStream(data));
        assertThat(Files.readAllBytes(root.resolve("sparse"))).isEqualTo(data);
        assertThat(allocatedBytes(root.resolve("sparse"))).isLessThan(64 * 1024);

        byte[] trailingHole = new byte[3 << 20];
        trailingHole[0] = 9;
        location.put("trailing", trailingHole.length, FileMetadata.NONE, new java.io.ByteArrayInputStream(trailingHole));
        assertThat(Files.size(root.resolve("trailing"))).isEqualTo(trailingHole.length);
        assertThat(Files.readAllBytes(root.resolve("trailing"))).isEqualTo(trailingHole);
        assertThat(allocatedBytes(root.resolve("trailing"))).isLessThan(64 * 1024);
    }

    @Test
    void aCharacterDeviceIsMadeAgainWithItsNumbers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mknod of a device needs root");
        dev.ferry.locations.DeviceNode null_ = new dev.ferry.locations.DeviceNode(dev.ferry.locations.DeviceNode.Kind.CHARACTER, 1, 3);
        location.put("null", 0, FileMetadata.NONE.withDevice(java.util.Optional.of(null_)), java.io.InputStream.nullInputStream());
        Entry entry = location.stat("null").orElseThrow();
        assertThat(entry.type()).isEqualTo(EntryType.OTHER);
        assertThat(entry.metadata().device()).contains(null_);
        // The system's own /dev/null reads back with the same numbers, so the decoding of st_rdev agrees with mknod.
        Location dev = new PosixLocationDriver().open(Map.of("path", "/dev"));
        assertThat(dev.stat("null").orElseThrow().metadata().device()).contains(null_);
        dev.close();
    }

    /** st_blocks, which the JDK does not expose. */
    private static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertThat(stat.waitFor()).as(out).isZero();
        return Long.parseLong(out) * 512;
    }
}
