package dev.ferry.locations.smb;

import com.hierynomus.smbj.auth.GSSAuthenticationContext;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * Logs in to Kerberos from a location's keytab, for SMB's SPNEGO. The keytab is written to a
 * file only this process may read (Java's login module reads keytabs from files) and removed on
 * {@link #close()}. Each login is made afresh, so a reconnect after the ticket expired works.
 *
 * <p>The JVM has one Kerberos configuration: the krb5.conf a location brings becomes it, and a
 * location bringing a different one fails with KERBEROS_CONFIG_CONFLICT rather than sending
 * either location's requests to the other's KDCs.
 */
final class KerberosLogin implements AutoCloseable {
    private static final String KRB5_CONF_PROPERTY = "java.security.krb5.conf";
    private static final Oid KERBEROS_V5 = oid("1.2.840.113554.1.2.2");
    private static final Object CONFIG_LOCK = new Object();
    private static String installedKrb5Conf;

    private final KerberosCredentials credentials;
    private final Path directory;
    private final Path keytab;

    KerberosLogin(KerberosCredentials credentials) {
        this.credentials = credentials;
        try {
            this.directory = Files.createTempDirectory("ferry-kerberos", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            this.keytab = directory.resolve("location.keytab");
            Files.write(keytab, credentials.keytab());
            credentials.krb5Conf().ifPresent(this::install);
        } catch (IOException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", "cannot keep the keytab in a private file: " + e.getMessage(), e);
        }
    }

    private void install(String krb5Conf) {
        synchronized (CONFIG_LOCK) {
            if (krb5Conf.equals(installedKrb5Conf)) {
                return;
            }
            String current = System.getProperty(KRB5_CONF_PROPERTY);
            if (installedKrb5Conf != null || current != null) {
                throw new LocationException("KERBEROS_CONFIG_CONFLICT", credentials.principal()
                        + ": this process already uses another krb5.conf (" + (current != null ? current : "another location's")
                        + "); locations served by one agent must share one krb5.conf");
            }
            try {
                Path file = Files.createTempFile("ferry-krb5-", ".conf");
                Files.writeString(file, krb5Conf, StandardCharsets.UTF_8);
                file.toFile().deleteOnExit();
                System.setProperty(KRB5_CONF_PROPERTY, file.toString());
                installedKrb5Conf = krb5Conf;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A fresh login, as smbj's SPNEGO wants it. */
    GSSAuthenticationContext authenticationContext() {
        Subject subject = new Subject();
        try {
            new LoginContext("ferry-smb", subject, null, configuration()).login();
            GSSCredential credential = Subject.callAs(subject, () -> GSSManager.getInstance().createCredential(null,
                    GSSCredential.DEFAULT_LIFETIME, KERBEROS_V5, GSSCredential.INITIATE_ONLY));
            return new GSSAuthenticationContext(credentials.user(), credentials.realm(), subject, credential);
        } catch (LoginException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", credentials.principal() + ": " + e.getMessage(), e);
        } catch (java.util.concurrent.CompletionException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", credentials.principal() + ": " + e.getCause(), e);
        }
    }

    private Configuration configuration() {
        Map<String, String> options = Map.of("useKeyTab", "true", "keyTab", keytab.toString(), "principal",
                credentials.principal(), "storeKey", "true", "doNotPrompt", "true", "refreshKrb5Config", "true",
                "isInitiator", "true", "useTicketCache", "false");
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
    }

    private static Oid oid(String value) {
        try {
            return new Oid(value);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(keytab);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temporary file left behind; the next boot's cleanup takes it.
        }
    }
}
