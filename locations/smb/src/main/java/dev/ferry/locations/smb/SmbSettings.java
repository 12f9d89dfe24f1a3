package dev.ferry.locations.smb;

import dev.ferry.locations.KerberosCredentials;
import java.util.Optional;

/**
 * Settings of an {@code smb} location: a directory in a share on an SMB 2 or 3 server.
 *
 * @param host server host name or address
 * @param port server port (445 unless the server says otherwise)
 * @param share the share's name
 * @param directory the directory inside the share, {@code /}-separated, empty for the share's root
 * @param user user name (for Kerberos, the principal's)
 * @param password the user's password for NTLM (a secret); empty with Kerberos
 * @param domain the user's domain or workgroup; empty for the server's own accounts
 * @param version {@code AUTOMATIC}, {@code SMB2} or {@code SMB3}: the dialects offered
 * @param kerberos present when authenticationType is KERBEROS
 */
public record SmbSettings(String host, int port, String share, String directory, String user, String password,
        Optional<String> domain, String version, Optional<KerberosCredentials> kerberos) {

    @Override
    public String toString() {
        return "SmbSettings[host=" + host + ", port=" + port + ", share=" + share + ", directory=" + directory + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "(set)") + ", domain=" + domain.orElse("(none)") + ", version=" + version
                + ", kerberos=" + kerberos.map(KerberosCredentials::toString).orElse("(none)") + "]";
    }
}
