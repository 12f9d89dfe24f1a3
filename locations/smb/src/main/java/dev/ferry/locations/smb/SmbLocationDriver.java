package dev.ferry.locations.smb;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.KerberosCredentials;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
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
            kerberos = Optional.of(KerberosCredentials.parse(reader, "settings."));
            reader.requireAbsent(List.of("user", "password"), "is for NTLM; with KERBEROS the user is the kerberosPrincipal's");
            user = kerberos.get().user();
            password = "";
        } else {
            reader.requireAbsent(KerberosCredentials.FIELDS, "needs authenticationType KERBEROS");
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

    @Override
    public Set<String> secretFields() {
        return Set.of("password", KerberosCredentials.SECRET_FIELD);
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
