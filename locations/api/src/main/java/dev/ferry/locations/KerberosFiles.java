package dev.ferry.locations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files a Kerberos login needs, for a location's {@link KerberosCredentials}: the keytab, in
 * a directory only this process's user may read (Java's and Hadoop's login modules read keytabs
 * from files), removed on {@link #close()}; and the krb5.conf.
 *
 * <p>A JVM has one Kerberos configuration ({@code java.security.krb5.conf}): the krb5.conf a
 * location brings becomes it, and a location bringing a different one fails with
 * KERBEROS_CONFIG_CONFLICT rather than sending either location's requests to the other's KDCs.
 */
public final class KerberosFiles implements AutoCloseable {
    private static final String KRB5_CONF_PROPERTY = "java.security.krb5.conf";
    private static final Object CONFIG_LOCK = new Object();
    private static String installedKrb5Conf;

    private final Path directory;
    private final Path keytab;

    public KerberosFiles(KerberosCredentials credentials) {
        try {
            this.directory = Files.createTempDirectory("ferry-kerberos", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            this.keytab = directory.resolve("location.keytab");
            Files.write(keytab, credentials.keytab());
        } catch (IOException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", "cannot keep the keytab in a private file: " + e.getMessage(), e);
        }
        try {
            credentials.krb5Conf().ifPresent(conf -> install(conf, credentials.principal()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static void install(String krb5Conf, String principal) {
        synchronized (CONFIG_LOCK) {
            if (krb5Conf.equals(installedKrb5Conf)) {
                return;
            }
            String current = System.getProperty(KRB5_CONF_PROPERTY);
            if (installedKrb5Conf != null || current != null && !sameContent(current, krb5Conf)) {
                throw new LocationException("KERBEROS_CONFIG_CONFLICT", principal + ": this process already uses another krb5.conf ("
                        + (current != null ? current : "another location's") + "); locations served by one agent must share one");
            }
            try {
                Path file = Files.createTempFile("ferry-krb5-", ".conf");
                Files.writeString(file, krb5Conf, StandardCharsets.UTF_8);
                file.toFile().deleteOnExit();
                System.setProperty(KRB5_CONF_PROPERTY, file.toString());
                installedKrb5Conf = krb5Conf;
            } catch (IOException e) {
                throw new LocationException("KERBEROS_LOGIN_FAILED", principal + ": cannot write the krb5.conf: " + e.getMessage(), e);
            }
        }
    }

    private static boolean sameContent(String file, String krb5Conf) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).equals(krb5Conf);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The keytab's file, readable by this process's user alone. */
    public Path keytab() {
        return keytab;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(keytab);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temporary file left behind; removed at the next clean-up of the temporary directory.
        }
    }
}
