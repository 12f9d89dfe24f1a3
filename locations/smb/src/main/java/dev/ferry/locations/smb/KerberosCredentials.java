package dev.ferry.locations.smb;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an {@code smb} location logs in to Kerberos with: DataSync's KerberosPrincipal,
 * KerberosKeytab and KerberosKrb5Conf.
 *
 * @param principal {@code user@REALM}
 * @param keytab the keytab file's bytes (a secret)
 * @param krb5Conf the krb5.conf that names the realm's KDCs; empty to use the host's own
 */
public record KerberosCredentials(String principal, byte[] keytab, Optional<String> krb5Conf) {
    public KerberosCredentials {
        keytab = keytab.clone();
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
