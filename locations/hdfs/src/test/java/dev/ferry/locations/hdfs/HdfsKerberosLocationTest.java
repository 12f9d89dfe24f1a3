package dev.ferry.locations.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.hdfs.testing.SecureMiniHdfs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite on a Kerberized HDFS (a real MIT KDC; SASL-protected RPC and data transfer),
 * the location logging in from a keytab as DataSync's KERBEROS authentication does. Runs in a JVM
 * of its own (the pom's kerberos execution): Hadoop's security switch is global to a JVM.
 */
class HdfsKerberosLocationTest extends LocationContractTest {
    private static SecureMiniHdfs hdfs;

    @BeforeAll
    static void cluster() {
        hdfs = SecureMiniHdfs.start();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Override
    protected Location newEmptyLocation() {
        return new HdfsLocationDriver().open(hdfs.locationSettings("contract"));
    }

    @Test
    void filesAreWrittenAsThePrincipalsUserOverProtectedDataTransfer() throws Exception {
        Map<String, Object> settings = hdfs.locationSettings("owner");
        try (Location location = new HdfsLocationDriver().open(settings)) {
            byte[] data = bytes(5 << 20, 3); // more than one 4 MiB block: both data transfer directions run SASL
            location.put("big.bin", data.length, FileMetadata.NONE, new ByteArrayInputStream(data));
            try (var in = location.openRead("big.bin", 0)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
        try (FileSystem fs = hdfs.fileSystem()) {
            assertThat(fs.getFileStatus(new Path(settings.get("subdirectory") + "/big.bin")).getOwner()).isEqualTo(SecureMiniHdfs.USER);
        }
    }

    @Test
    void aKeytabWithoutThePrincipalFailsToLogInWithAClearCode() throws Exception {
        byte[] other = Files.readAllBytes(hdfs.kdc().addPrincipalWithKeytab("not-ferry", false));
        assertThatThrownBy(() -> new HdfsLocationDriver().open(hdfs.locationSettings("wrong", other)))
                .isInstanceOf(LocationException.class)
                .satisfies(e -> assertThat(((LocationException) e).code()).isEqualTo("KERBEROS_LOGIN_FAILED"));
    }

    @Test
    void kerberosSettingsAreCheckedAndTheKeytabIsASecret() {
        HdfsLocationDriver driver = new HdfsLocationDriver();
        Map<String, Object> withUser = new HashMap<>(hdfs.locationSettings("s"));
        withUser.put("simpleUser", "x");
        assertThatThrownBy(() -> driver.parse(withUser)).hasMessageContaining("settings.simpleUser");
        Map<String, Object> badPrincipal = new HashMap<>(hdfs.locationSettings("s"));
        badPrincipal.put("nameNodePrincipal", "hdfs@REALM");
        assertThatThrownBy(() -> driver.parse(badPrincipal)).hasMessageContaining("settings.nameNodePrincipal");
        assertThat(driver.secretFields()).containsExactly("kerberosKeytab");
    }
}
