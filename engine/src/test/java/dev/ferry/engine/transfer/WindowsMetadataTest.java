package dev.ferry.engine.transfer;

import static dev.ferry.locations.smb.testing.TestDescriptors.OWNER_DACL;
import static dev.ferry.locations.smb.testing.TestDescriptors.OWNER_DACL_SACL;
import static dev.ferry.locations.smb.testing.TestDescriptors.descriptor;
import static dev.ferry.locations.smb.testing.TestDescriptors.ownerOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.hierynomus.msdtyp.ACL;
import com.hierynomus.msdtyp.SID;
import dev.ferry.engine.wire.LoopbackDataChannel;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.smb.SmbLocationDriver;
import dev.ferry.locations.smb.testing.SambaExtension;
import dev.ferry.locations.smb.testing.SambaServer;
import dev.ferry.locations.smb.testing.TestDescriptors;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMB to SMB on a real Samba: Windows attributes and security descriptors (SecurityDescriptorCopyFlags)
 * arrive, are verified, make a rerun skip, and a change of either alone is a metadata update.
 * Once with the source behind an agent and once with the destination, so both directions of the
 * data channel carry them.
 */
@ExtendWith(SambaExtension.class)
class WindowsMetadataTest {
    private static final int HIDDEN = 0x2;
    private static final int READ_ONLY = 0x1;
    private static final int ARCHIVE = 0x20;


    private static SambaServer samba;
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void server(SambaServer shared) {
        samba = shared;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private Location smb() {
        return smb(SambaServer.USER);
    }

    private Location smb(String user) {
        Location location = new SmbLocationDriver().open(samba.locationSettings("data", user));
        opened.add(location);
        return location;
    }

    private Location agent(Location served) throws Exception {
        LoopbackDataChannel channel = new LoopbackDataChannel(served, 2);
        opened.add(channel);
        return channel.remote;
    }

    /** The owner, everything for the owner, and read for everyone when {@code everyoneReads}. */
    private static SecurityDescriptor dacl(SID owner, boolean everyoneReads) {
        return descriptor(owner, everyoneReads, null);
    }

    private static void put(Location location, String key, String content, FileMetadata metadata) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        location.put(key, bytes.length, metadata, new ByteArrayInputStream(bytes));
    }

    private TransferResult run(Location source, Location destination, Map<String, Object> options) {
        failures.clear();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        return new Transfer("execution=exec-windows", source, destination, TaskOptions.parse(options, TaskOptions.DEFAULTS), 4,
                () -> 0, listener).run();
    }

    private static int attributes(Location location, String key) {
        Entry entry = location.stat(key).orElseThrow();
        return entry.metadata().fileAttributes().orElseThrow();
    }

    @ParameterizedTest(name = "through an agent at the {0}")
    @ValueSource(strings = {"source", "destination"})
    void attributesAndDescriptorsArriveAreVerifiedAndAChangeAloneIsAMetadataUpdate(String agentSide) throws Exception {
        Location sourceShare = smb();
        Location destinationShare = smb();
        put(sourceShare, "probe", "", FileMetadata.NONE);
        SID user = ownerOf(sourceShare, "probe");
        sourceShare.remove("probe");
        SecurityDescriptor open = dacl(user, true);
        SecurityDescriptor closed = dacl(user, false);
        put(sourceShare, "docs/hidden.txt", "hidden", FileMetadata.NONE.withFileAttributes(OptionalInt.of(HIDDEN | ARCHIVE)));
        put(sourceShare, "docs/locked.txt", "locked", FileMetadata.NONE.withFileAttributes(OptionalInt.of(READ_ONLY)));
        put(sourceShare, "docs/secret.txt", "secret", FileMetadata.NONE.withSecurityDescriptor(Optional.of(closed)));
        put(sourceShare, "plain.txt", "plain", FileMetadata.NONE.withSecurityDescriptor(Optional.of(open)));
        sourceShare.setMetadata("docs/", FileMetadata.NONE.withSecurityDescriptor(Optional.of(open)));
        Location source = agentSide.equals("source") ? agent(sourceShare) : sourceShare;
        Location destination = agentSide.equals("destination") ? agent(destinationShare) : destinationShare;

        TransferResult first = run(source, destination, Map.of());
        assertThat(failures).isEmpty();
        assertThat(first.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(first.counters()).containsEntry("FilesTransferred", 4L).containsEntry("FilesVerified", 4L);
        assertThat(attributes(destinationShare, "docs/hidden.txt")).isEqualTo(HIDDEN | ARCHIVE);
        assertThat(attributes(destinationShare, "docs/locked.txt")).isEqualTo(READ_ONLY);
        for (String key : List.of("docs/", "docs/hidden.txt", "docs/locked.txt", "docs/secret.txt", "plain.txt")) {
            assertThat(destinationShare.securityDescriptor(key, OWNER_DACL)).as(key)
                    .isEqualTo(sourceShare.securityDescriptor(key, OWNER_DACL));
        }
        assertThat(destinationShare.securityDescriptor("docs/secret.txt", OWNER_DACL)).isEqualTo(closed);

        assertThat(run(source, destination, Map.of()).counters()).as("nothing changed")
                .containsEntry("FilesSkipped", 4L).containsEntry("FilesTransferred", 0L);
        assertThat(failures).isEmpty();

        sourceShare.setMetadata("plain.txt", FileMetadata.NONE.withSecurityDescriptor(Optional.of(closed)));
        sourceShare.setMetadata("docs/hidden.txt", FileMetadata.NONE.withFileAttributes(OptionalInt.of(ARCHIVE)));
        TransferResult changed = run(source, destination, Map.of());
        assertThat(failures).isEmpty();
        assertThat(changed.counters()).as("metadata alone changed: no content is sent")
                .containsEntry("FilesTransferred", 2L).containsEntry("BytesTransferred", 0L).containsEntry("FilesSkipped", 2L);
        assertThat(destinationShare.securityDescriptor("plain.txt", OWNER_DACL)).isEqualTo(closed);
        assertThat(attributes(destinationShare, "docs/hidden.txt")).isEqualTo(ARCHIVE);

        sourceShare.setMetadata("plain.txt", FileMetadata.NONE.withSecurityDescriptor(Optional.of(open)));
        assertThat(run(source, destination, Map.of("SecurityDescriptorCopyFlags", "NONE")).counters())
                .as("NONE neither compares nor copies descriptors").containsEntry("FilesSkipped", 4L);
        assertThat(destinationShare.securityDescriptor("plain.txt", OWNER_DACL)).isEqualTo(closed);
    }

    @org.junit.jupiter.api.Test
    void ownerDaclSaclCarriesTheSaclAndOwnerDaclLeavesItBehind() throws Exception {
        // Reading and writing SACLs takes a backup operator's privileges, on both sides.
        Location source = smb(SambaServer.BACKUP_USER);
        put(source, "probe", "", FileMetadata.NONE);
        SID owner = ownerOf(source, "probe");
        source.remove("probe");
        ACL sacl = TestDescriptors.auditFailures(TestDescriptors.FILE_READ);
        SecurityDescriptor audited = descriptor(owner, true, sacl);
        put(source, "audited.txt", "audited", FileMetadata.NONE.withSecurityDescriptor(Optional.of(audited)));

        Location withSacl = smb(SambaServer.BACKUP_USER);
        assertThat(run(source, withSacl, Map.of("SecurityDescriptorCopyFlags", "OWNER_DACL_SACL")).outcome())
                .isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(failures).isEmpty();
        assertThat(withSacl.securityDescriptor("audited.txt", OWNER_DACL_SACL)).isEqualTo(audited);

        Location withoutSacl = smb(SambaServer.BACKUP_USER);
        assertThat(run(source, withoutSacl, Map.of()).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(withoutSacl.securityDescriptor("audited.txt", OWNER_DACL)).isEqualTo(dacl(owner, true));
        assertThat(withoutSacl.securityDescriptor("audited.txt", OWNER_DACL_SACL)).as("OWNER_DACL copies no SACL")
                .isNotEqualTo(audited);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ONLY_FILES_TRANSFERRED", "POINT_IN_TIME_CONSISTENT"})
    void bothVerifyModesCatchADestinationThatDropsADescriptor(String mode) throws Exception {
        Location sourceShare = smb();
        put(sourceShare, "probe", "", FileMetadata.NONE);
        SecurityDescriptor closed = dacl(ownerOf(sourceShare, "probe"), false);
        sourceShare.remove("probe");
        put(sourceShare, "secret.txt", "secret", FileMetadata.NONE.withSecurityDescriptor(Optional.of(closed)));
        Location lossy = new dev.ferry.engine.testing.ForwardingLocation(smb()) {
            @Override
            public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata,
                    java.io.InputStream content) {
                // A store that acknowledges a descriptor without keeping it.
                return inner.put(key, size, metadata.withSecurityDescriptor(Optional.empty()), content);
            }
        };
        TransferResult result = run(sourceShare, lossy, Map.of("VerifyMode", mode));
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(failures).extracting(FileFailure::key, FileFailure::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("secret.txt", "SECURITY_DESCRIPTOR_MISMATCH"));
    }
}
