package dev.ferry.locations.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.nfs.testing.GaneshaExtension;
import dev.ferry.locations.nfs.testing.GaneshaServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(GaneshaExtension.class)
class NfsLocationTest extends LocationContractTest {
    private static GaneshaServer server;
    private String directory;

    @BeforeAll
    static void server(GaneshaServer shared) {
        server = shared;
    }

    @Override
    protected Location newEmptyLocation() {
        Map<String, Object> settings = server.locationSettings();
        directory = ((String) settings.get("subdirectory")).substring(GaneshaServer.PSEUDO.length() + 1);
        return new NfsLocationDriver().open(settings);
    }

    private Path onDisk(String key) {
        return server.exportPath().resolve(directory).resolve(key);
    }

    @Test
    void metadataAndLinksLandOnTheServersFileSystemExactly() throws Exception {
        Instant mtime = Instant.parse("2017-02-03T04:05:06.123456789Z");
        location.put("a/b/f.bin", 3, FileMetadata.of(mtime, mtime, 04751, 1234, 5678), new ByteArrayInputStream(new byte[] {1, 2, 3}));
        Path f = onDisk("a/b/f.bin");
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(mtime);
        assertThat(Files.getAttribute(f, "unix:mode")).isEqualTo(0104751);
        assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(f, "unix:gid")).isEqualTo(5678);

        location.put("ln", 0, FileMetadata.NONE.withLinkTarget(Optional.of("../elsewhere")), InputStream.nullInputStream());
        assertThat(Files.readSymbolicLink(onDisk("ln"))).isEqualTo(Path.of("../elsewhere"));
        assertThat(location.stat("ln").orElseThrow().metadata().linkTarget()).contains("../elsewhere");
        assertThat(Files.exists(onDisk("ln"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aLargeFileCrossesWithManyRequestsInFlightAndReadsFromAnOffset() throws Exception {
        byte[] data = bytes(9_000_017, 4);
        location.put("big.bin", data.length, FileMetadata.NONE, new ByteArrayInputStream(data));
        assertThat(Files.readAllBytes(onDisk("big.bin"))).isEqualTo(data);
        try (InputStream in = location.openRead("big.bin", 5_000_000)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 5_000_000, data.length));
        }
    }

    @Test
    void aDirectoryInsideTheExportIsFoundFromTheExportItselfAndAMissingOneIsAClearError() {
        Map<String, Object> missing = server.locationSettings();
        missing.put("subdirectory", GaneshaServer.PSEUDO + "/no/such/dir");
        assertThatThrownBy(() -> new NfsLocationDriver().open(missing).close()).isInstanceOfSatisfying(LocationException.class,
                e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
    }

    @Test
    void settingsErrorsNameTheFieldAndNfs4IsRefusedNotDowngraded() {
        NfsLocationDriver driver = new NfsLocationDriver();
        Map<String, Object> base = new HashMap<>(Map.of("serverHostname", "h", "subdirectory", "/exports/x"));
        assertThat(driver.parse(base).port()).isEqualTo(2049);
        assertThat(driver.parse(base).path()).isEqualTo("/exports/x");
        base.put("version", "NFS4_1");
        assertThatThrownBy(() -> driver.parse(base)).hasMessageContaining("settings.version").hasMessageContaining("NFS4_1");
        base.put("version", "NFS3");
        base.put("subdirectory", "relative");
        assertThatThrownBy(() -> driver.parse(base)).hasMessageContaining("settings.subdirectory");
        base.put("subdirectory", "/x");
        base.put("serverPort", 0);
        assertThatThrownBy(() -> driver.parse(base)).hasMessageContaining("settings.serverPort");
    }
}
