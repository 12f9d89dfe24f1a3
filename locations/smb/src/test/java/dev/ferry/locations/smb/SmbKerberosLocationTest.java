package dev.ferry.locations.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.smb.testing.SambaServer;
import dev.ferry.locations.testing.KerberosKdc;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite again, on a Samba server that takes Kerberos tickets from a real MIT KDC,
 * the location logging in with a keytab as DataSync's KERBEROS authentication does.
 */
class SmbKerberosLocationTest extends LocationContractTest {
    private static KerberosKdc kdc;
    private static SambaServer server;
    private static byte[] userKeytab;

    @BeforeAll
    static void servers() throws Exception {
        kdc = KerberosKdc.start();
        server = SambaServer.startWithKerberos(kdc);
        userKeytab = Files.readAllBytes(kdc.addPrincipalWithKeytab(SambaServer.USER, false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (kdc != null) {
            kdc.close();
        }
    }

    private static Map<String, Object> kerberosSettings(String principal, byte[] keytab) {
        Map<String, Object> settings = new HashMap<>(server.locationSettings("data"));
        settings.remove("user");
        settings.remove("password");
        settings.put("serverHostname", "localhost"); // the name in the server's service principal
        settings.put("authenticationType", "KERBEROS");
        settings.put("kerberosPrincipal", principal);
        settings.put("kerberosKeytab", Base64.getEncoder().encodeToString(keytab));
        settings.put("kerberosKrb5Conf", kdc.krb5Conf());
        return settings;
    }

    @Override
    protected Location newEmptyLocation() {
        return new SmbLocationDriver().open(kerberosSettings(SambaServer.USER + "@" + KerberosKdc.REALM, userKeytab));
    }

    @Test
    void filesWrittenOverKerberosBelongToThePrincipalsUser() throws Exception {
        Map<String, Object> settings = kerberosSettings(SambaServer.USER + "@" + KerberosKdc.REALM, userKeytab);
        Path dir = server.sharePath("data").resolve(((String) settings.get("subdirectory")).substring("/data/".length()));
        try (Location location = new SmbLocationDriver().open(settings)) {
            location.put("mine.txt", 2, FileMetadata.NONE, new ByteArrayInputStream("ok".getBytes()));
        }
        assertThat(Files.getOwner(dir.resolve("mine.txt")).getName()).isEqualTo(SambaServer.USER);
    }

    @Test
    void aKeytabWithoutThePrincipalFailsToLogInWithAClearCode() throws Exception {
        byte[] other = Files.readAllBytes(kdc.addPrincipalWithKeytab("someone-else", false));
        try (Location location = new SmbLocationDriver().open(kerberosSettings(SambaServer.USER + "@" + KerberosKdc.REALM, other))) {
            assertThatThrownBy(location::list).isInstanceOf(LocationException.class)
                    .satisfies(e -> assertThat(((LocationException) e).code()).isEqualTo("KERBEROS_LOGIN_FAILED"));
        }
    }

    @Test
    void kerberosSettingsAreCheckedAndTheKeytabIsASecret() {
        SmbLocationDriver driver = new SmbLocationDriver();
        Map<String, Object> good = kerberosSettings(SambaServer.USER + "@" + KerberosKdc.REALM, userKeytab);
        assertThat(driver.parse(good).toString()).contains("keytab=(set)").doesNotContain(Base64.getEncoder().encodeToString(userKeytab));
        Map<String, Object> noRealm = new HashMap<>(good);
        noRealm.put("kerberosPrincipal", "ferrysmb");
        assertThatThrownBy(() -> driver.parse(noRealm)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("settings.kerberosPrincipal");
        Map<String, Object> notKeytab = new HashMap<>(good);
        notKeytab.put("kerberosKeytab", Base64.getEncoder().encodeToString("not a keytab".getBytes()));
        assertThatThrownBy(() -> driver.parse(notKeytab)).hasMessageContaining("settings.kerberosKeytab");
        Map<String, Object> withPassword = new HashMap<>(good);
        withPassword.put("password", "x");
        assertThatThrownBy(() -> driver.parse(withPassword)).hasMessageContaining("settings.password");
        Map<String, Object> missing = new HashMap<>(good);
        missing.remove("kerberosKeytab");
        assertThatThrownBy(() -> driver.parse(missing)).hasMessageContaining("settings.kerberosKeytab");
    }
}
