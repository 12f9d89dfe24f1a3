package dev.ferry.locations;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * What a location logs in to Kerberos with: DataSync's KerberosPrincipal, KerberosKeytab and
 * KerberosKrb5Conf, as the settings {@code kerberosPrincipal}, {@code kerberosKeytab} (the file in
 * base64, a secret) and {@code kerberosKrb5Conf} (the file's text).
 *
 * @param principal {@code user@REALM}
 * @param keytab the keytab file's bytes (a secret)
 * @param krb5Conf the krb5.conf that names the realm's KDCs; empty to use the host's own
 */
public record KerberosCredentials(String principal, byte[] keytab, Optional<String> krb5Conf) {
    public KerberosCredentials {
        keytab = keytab.clone();
    }

    /** The settings' names, for a driver's allowed fields and its secrets. */
    public static final java.util.List<String> FIELDS = java.util.List.of("kerberosPrincipal", "kerberosKeytab", "kerberosKrb5Conf");
    public static final String SECRET_FIELD = "kerberosKeytab";
    /** Keytabs start with version 0x0502 (MIT's file format, which Windows' ktpass writes too). */
    private static final int MAX_KEYTAB_BYTES = 1 << 20;

    /** Reads and checks the three settings; each error names its field. */
    public static KerberosCredentials parse(SettingsReader reader, String prefix) {
        String principal = reader.requireString("kerberosPrincipal");
        if (!principal.matches("[^@\\s]+@[A-Za-z0-9._-]+")) {
            throw new InvalidSettingsException(prefix + "kerberosPrincipal", "must be USER@REALM (or SERVICE/HOST@REALM), got '"
                    + principal + "'");
        }
        byte[] keytab;
        try {
            keytab = Base64.getMimeDecoder().decode(reader.requireString("kerberosKeytab"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(prefix + "kerberosKeytab", "must be the keytab file in base64: " + e.getMessage());
        }
        if (keytab.length < 2 || keytab[0] != 0x05 || keytab[1] != 0x02 || keytab.length > MAX_KEYTAB_BYTES) {
            throw new InvalidSettingsException(prefix + "kerberosKeytab", "is not a keytab (version 0x0502, at most 1 MiB)");
        }
        Optional<String> krb5Conf = reader.optionalString("kerberosKrb5Conf");
        if (krb5Conf.isPresent() && !krb5Conf.get().contains("[realms]") && !krb5Conf.get().contains("[libdefaults]")) {
            throw new InvalidSettingsException(prefix + "kerberosKrb5Conf", "is not a krb5.conf (no [libdefaults] or [realms])");
        }
        return new KerberosCredentials(principal, keytab, krb5Conf);
    }

    /** The user's name, without the realm. */
    public String user() {
        return principal.substring(0, principal.lastIndexOf('@'));
    }

    public String realm() {
        return principal.substring(principal.lastIndexOf('@') + 1);
    }

    @Override
    public byte[] keytab() {
        return keytab.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerberosCredentials other && principal.equals(other.principal) && Arrays.equals(keytab, other.keytab)
                && krb5Conf.equals(other.krb5Conf);
    }

    @Override
    public int hashCode() {
        return principal.hashCode();
    }

    @Override
    public String toString() {
        return "KerberosCredentials[principal=" + principal + ", keytab=(set), krb5Conf=" + (krb5Conf.isPresent() ? "(set)" : "(host's)")
                + "]";
    }
}
