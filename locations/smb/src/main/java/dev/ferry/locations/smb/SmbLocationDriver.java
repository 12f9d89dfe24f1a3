package dev.ferry.locations.smb;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Driver for SMB shares (DataSync's SMB location: server, {@code /share/path}, user, password,
 * domain, version, NTLM or Kerberos), reached through an agent on the share's network. The
 * connection signs or encrypts as the server and share require.
 */
public final class SmbLocationDriver implements LocationDriver<SmbSettings> {
    public static final String KIND = "smb";
    static final List<String> VERSIONS = List.of("AUTOMATIC", "SMB2", "SMB3");
    private static final Set<String> FIELDS = Set.of("serverHostname", "serverPort", "subdirectory", "user", "password", "domain",
            "version", "authenticationType", "kerberosPrincipal", "kerberosKeytab", "kerberosKrb5Conf");
    /** Keytabs start with version 0x0502 (MIT's file format, which Windows' ktpass writes too). */
    private static final int MAX_KEYTAB_BYTES = 1 << 20;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public SmbSettings parse(Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", FIELDS);
        String host = reader.requireString("serverHostname");
        if (!host.matches("[A-Za-z0-9._:\\[\\]-]+")) {
            throw new InvalidSettingsException("settings.serverHostname", "'" + host + "' is not a host name or IP address");
        }
        int port = reader.optionalLong("serverPort", 1, 65535).map(Long::intValue).orElse(445);
        String subdirectory = reader.requireString("subdirectory");
        String[] parts = subdirectory.replace('\\', '/').replaceAll("^/+|/+$", "").split("/", 2);
        if (parts[0].isEmpty()) {
            throw new InvalidSettingsException("settings.subdirectory", "must name the share: /SHARE or /SHARE/PATH, got '"
                    + subdirectory + "'");
        }
        String directory = parts.length > 1 ? parts[1] : "";
        if (!directory.isEmpty() && !Keys.isValid(directory + "/")) {
            throw new InvalidSettingsException("settings.subdirectory", "'" + subdirectory + "' is not a path inside the share");
        }
        String auth = reader.optionalString("authenticationType").orElse("NTLM");
        if (!auth.equals("NTLM") && !auth.equals("KERBEROS")) {
            throw new InvalidSettingsException("settings.authenticationType", "must be NTLM or KERBEROS, got '" + auth + "'");
        }
        Optional<KerberosCredentials> kerberos = Optional.empty();
        String user;
        String password;
        if (auth.equals("KERBEROS")) {
            kerberos = Optional.of(kerberos(reader));
            for (String ntlmOnly : List.of("user", "password")) {
                if (reader.optionalString(ntlmOnly).isPresent()) {
                    throw new InvalidSettingsException("settings." + ntlmOnly, "is for NTLM; with KERBEROS the user is the "
                            + "kerberosPrincipal's");
                }
            }
            user = kerberos.get().user();
            password = "";
        } else {
            for (String kerberosOnly : List.of("kerberosPrincipal", "kerberosKeytab", "kerberosKrb5Conf")) {
                if (reader.optionalString(kerberosOnly).isPresent()) {
                    throw new InvalidSettingsException("settings." + kerberosOnly, "needs authenticationType KERBEROS");
                }
            }
            user = reader.requireString("user");
            password = reader.requireString("password");
        }
        Optional<String> domain = reader.optionalString("domain");
        String version = reader.optionalString("version").orElse("AUTOMATIC");
        if (!VERSIONS.contains(version)) {
            throw new InvalidSettingsException("settings.version", "must be one of " + VERSIONS
                    + " (Ferry speaks SMB 2 and 3, not SMB 1), got '" + version + "'");
        }
        return new SmbSettings(host, port, parts[0], directory, user, password, domain, version, kerberos);
    }

    private static KerberosCredentials kerberos(SettingsReader reader) {
        String principal = reader.requireString("kerberosPrincipal");
        if (!principal.matches("[^@/\\s]+@[A-Za-z0-9._-]+")) {
            throw new InvalidSettingsException("settings.kerberosPrincipal", "must be USER@REALM, got '" + principal + "'");
        }
        byte[] keytab;
        try {
            keytab = Base64.getMimeDecoder().decode(reader.requireString("kerberosKeytab"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("settings.kerberosKeytab", "must be the keytab file in base64: " + e.getMessage());
        }
        if (keytab.length < 2 || keytab[0] != 0x05 || keytab[1] != 0x02 || keytab.length > MAX_KEYTAB_BYTES) {
            throw new InvalidSettingsException("settings.kerberosKeytab", "is not a keytab (version 0x0502, at most 1 MiB)");
        }
        Optional<String> krb5Conf = reader.optionalString("kerberosKrb5Conf");
        if (krb5Conf.isPresent() && !krb5Conf.get().contains("[realms]") && !krb5Conf.get().contains("[libdefaults]")) {
            throw new InvalidSettingsException("settings.kerberosKrb5Conf", "is not a krb5.conf (no [libdefaults] or [realms])");
        }
        return new KerberosCredentials(principal, keytab, krb5Conf);
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("password", "kerberosKeytab");
    }

    @Override
    public Reach reach() {
        return Reach.AGENT;
    }

    @Override
    public LocationTraits traits(SmbSettings settings) {
        return new LocationTraits(SmbLocation.CAPABILITIES, SmbLocation.TIME_GRANULARITY);
    }

    @Override
    public Location open(SmbSettings settings) {
        return new SmbLocation(settings);
    }
}
