package dev.ferry.locations.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.ferry.locations.smb.testing.TestDescriptors.FILE_WRITE;
import static dev.ferry.locations.smb.testing.TestDescriptors.OWNER_DACL;
import static dev.ferry.locations.smb.testing.TestDescriptors.descriptor;

import com.hierynomus.msdtyp.ACL;
import com.hierynomus.msdtyp.SID;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.smb.testing.SambaExtension;
import dev.ferry.locations.smb.testing.SambaServer;
import dev.ferry.locations.smb.testing.TestDescriptors;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SambaExtension.class)
class SmbLocationTest extends LocationContractTest {
    private static SambaServer server;
    private String subdirectory;

    @BeforeAll
    static void server(SambaServer shared) {
        server = shared;
    }

    @Override
    protected Location newEmptyLocation() {
        Map<String, Object> settings = server.locationSettings("data");
        subdirectory = (String) settings.get("subdirectory");
        return new SmbLocationDriver().open(settings);
    }

    private Path onDisk(String key) {
        return server.sharePath("data").resolve(subdirectory.substring("/data/".length())).resolve(key);
    }

    @Test
    void timesRoundTripAt100NanosecondsAndLandOnTheServersFiles() throws Exception {
        Instant mtime = Instant.parse("2019-07-08T09:10:11.123456789Z");
        Instant atime = Instant.parse("2020-01-02T03:04:05.987654321Z");
        FileMetadata times = new FileMetadata(Optional.of(mtime), Optional.of(atime), java.util.OptionalInt.empty(),
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty());
        location.put("dir/f.txt", 5, times, new ByteArrayInputStream("hello".getBytes()));
        FileMetadata back = location.stat("dir/f.txt").orElseThrow().metadata();
        assertThat(back.mtime()).contains(Instant.parse("2019-07-08T09:10:11.123456700Z"));
        assertThat(back.atime()).contains(Instant.parse("2020-01-02T03:04:05.987654300Z"));
        assertThat(Files.readString(onDisk("dir/f.txt"))).isEqualTo("hello");
        assertThat(Files.getLastModifiedTime(onDisk("dir/f.txt")).toInstant()).isEqualTo(Instant.parse("2019-07-08T09:10:11.123456700Z"));

        location.makeDirectory("d2/", times);
        assertThat(location.stat("d2/").orElseThrow().metadata().mtime()).contains(Instant.parse("2019-07-08T09:10:11.123456700Z"));
        location.setMetadata("dir/f.txt", times.withMtime(Optional.of(Instant.parse("2001-01-01T00:00:00Z"))));
        assertThat(location.stat("dir/f.txt").orElseThrow().metadata().mtime()).contains(Instant.parse("2001-01-01T00:00:00Z"));
        assertThat(location.timeGranularity()).hasNanos(100);
    }

    @Test
    void aDaclWrittenIsTheOneTheServerEnforces() throws Exception {
        put("probe", new byte[1]);
        SID owner = TestDescriptors.ownerOf(location, "probe");
        SecurityDescriptor open = descriptor(owner, true, null);
        SecurityDescriptor closed = descriptor(owner, false, null);
        location.put("shared.txt", 2, FileMetadata.NONE.withSecurityDescriptor(Optional.of(open)), new ByteArrayInputStream("ok".getBytes()));
        assertThat(location.securityDescriptor("shared.txt", OWNER_DACL)).isEqualTo(open);
        // Samba enforces a DACL through the file's POSIX ACL: everyone's read shows as the others' read bit.
        assertThat(Files.getPosixFilePermissions(onDisk("shared.txt"))).contains(PosixFilePermission.OTHERS_READ);
        location.setMetadata("shared.txt", FileMetadata.NONE.withSecurityDescriptor(Optional.of(closed)));
        assertThat(location.securityDescriptor("shared.txt", OWNER_DACL)).isEqualTo(closed);
        assertThat(Files.getPosixFilePermissions(onDisk("shared.txt"))).doesNotContain(PosixFilePermission.OTHERS_READ);
        assertThat(location.securityDescriptor("shared.txt", OWNER_DACL)).isNotEqualTo(open);

        // Reading a SACL takes a privilege the user has not got here: a clear refusal, not an empty SACL.
        assertThatThrownBy(() -> location.securityDescriptor("shared.txt", EnumSet.allOf(SecurityDescriptor.Part.class)))
                .isInstanceOf(LocationException.class).extracting(e -> ((LocationException) e).code()).isEqualTo("PRIVILEGE_NOT_HELD");
    }

    @Test
    void withABackupOperatorsPrivilegesOwnersAndSaclsTravelToo() throws Exception {
        put("probe", new byte[1]);
        SID user = TestDescriptors.ownerOf(location, "probe");
        Map<String, Object> settings = server.locationSettings("data", SambaServer.BACKUP_USER);
        Path dir = server.sharePath("data").resolve(((String) settings.get("subdirectory")).substring("/data/".length()));
        try (Location backup = new SmbLocationDriver().open(settings)) {
            ACL sacl = TestDescriptors.auditFailures(FILE_WRITE);
            SecurityDescriptor wanted = descriptor(user, true, sacl);
            backup.put("audited.txt", 1, FileMetadata.NONE.withSecurityDescriptor(Optional.of(wanted)), new ByteArrayInputStream(new byte[1]));
            assertThat(backup.securityDescriptor("audited.txt", wanted.parts())).isEqualTo(wanted);
            assertThat(Files.getOwner(dir.resolve("audited.txt")).getName()).as("owned by whom it was asked, not its writer")
                    .isEqualTo(SambaServer.USER);
        }
    }

    @Test
    void aShareThatRequiresEncryptionGetsAnEncryptedSessionAndOthersDoNot() throws Exception {
        assertThat(((SmbLocation) location).encrypted()).isFalse();
        try (Location secure = new SmbLocationDriver().open(server.locationSettings("secure"))) {
            byte[] data = bytes(3_000_000, 8);
            secure.put("secret.bin", data.length, FileMetadata.NONE, new ByteArrayInputStream(data));
            try (var in = secure.openRead("secret.bin", 0)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(((SmbLocation) secure).encrypted()).isTrue();
        }
    }

    @Test
    void namesSmbCannotHoldFailCleanlyAndAWrongPasswordIsRefused() {
        assertThatThrownBy(() -> location.put("a\\b", 1, FileMetadata.NONE, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> location.put("link", 0, FileMetadata.NONE.withLinkTarget(Optional.of("x")),
                java.io.InputStream.nullInputStream())).isInstanceOfSatisfying(LocationException.class,
                        e -> assertThat(e.code()).isEqualTo("NOT_SUPPORTED"));
        Map<String, Object> wrong = server.locationSettings("data");
        wrong.put("password", "not-it");
        try (Location denied = new SmbLocationDriver().open(wrong)) {
            assertThatThrownBy(denied::list).isInstanceOfSatisfying(LocationException.class,
                    e -> assertThat(e.code()).isEqualTo("SMB_LOGON_FAILURE"));
        }
    }

    @Test
    void settingsErrorsNameTheField() {
        SmbLocationDriver driver = new SmbLocationDriver();
        Map<String, Object> base = Map.of("serverHostname", "h", "subdirectory", "/share/x", "user", "u", "password", "p");
        assertThat(driver.parse(base).share()).isEqualTo("share");
        assertThat(driver.parse(base).directory()).isEqualTo("x");
        assertThatThrownBy(() -> driver.parse(with(base, "subdirectory", "/"))).hasMessageContaining("settings.subdirectory");
        assertThatThrownBy(() -> driver.parse(with(base, "subdirectory", "/s/../x"))).hasMessageContaining("settings.subdirectory");
        assertThatThrownBy(() -> driver.parse(with(base, "version", "SMB1"))).hasMessageContaining("settings.version");
        assertThatThrownBy(() -> driver.parse(with(base, "authenticationType", "KERBEROSS")))
                .hasMessageContaining("settings.authenticationType");
        assertThatThrownBy(() -> driver.parse(with(base, "kerberosPrincipal", "u@R"))).hasMessageContaining("settings.kerberosPrincipal");
        assertThatThrownBy(() -> driver.parse(with(base, "serverHostname", "a b"))).hasMessageContaining("settings.serverHostname");
        assertThat(driver.parse(base).toString()).doesNotContain("=p,").contains("password=(set)");
        assertThat(driver.secretFields()).containsExactlyInAnyOrder("password", "kerberosKeytab");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
