package dev.ferry.locations.nfs;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Driver for NFS exports (DataSync's NFS location: server, export path or a directory in it,
 * version), reached through an agent that speaks NFSv3 itself: no kernel mount is needed.
 */
public final class NfsLocationDriver implements LocationDriver<NfsSettings> {
    public static final String KIND = "nfs";
    static final List<String> VERSIONS = List.of("AUTOMATIC", "NFS3", "NFS4_0", "NFS4_1");
    private static final Set<String> FIELDS = Set.of("serverHostname", "serverPort", "mountPort", "subdirectory", "version",
            "uid", "gid");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public NfsSettings parse(Map<String, Object> raw) {
        SettingsReader reader = new SettingsReader(raw, "settings.", FIELDS);
        String host = reader.requireString("serverHostname");
        if (!host.matches("[A-Za-z0-9._:\\[\\]-]+")) {
            throw new InvalidSettingsException("settings.serverHostname", "'" + host + "' is not a host name or IP address");
        }
        int port = reader.optionalLong("serverPort", 1, 65535).map(Long::intValue).orElse(2049);
        OptionalInt mountPort = reader.optionalLong("mountPort", 1, 65535).map(p -> OptionalInt.of(p.intValue()))
                .orElse(OptionalInt.empty());
        String subdirectory = reader.requireString("subdirectory");
        String path = "/" + subdirectory.replaceAll("^/+|/+$", "");
        if (!subdirectory.startsWith("/") || !path.equals("/") && !Keys.isValid(path.substring(1) + "/")) {
            throw new InvalidSettingsException("settings.subdirectory", "must be an absolute export path such as /exports/data, got '"
                    + subdirectory + "'");
        }
        String version = reader.optionalString("version").orElse("AUTOMATIC");
        if (!VERSIONS.contains(version)) {
            throw new InvalidSettingsException("settings.version", "must be one of " + VERSIONS + ", got '" + version + "'");
        }
        if (version.startsWith("NFS4")) {
            throw new InvalidSettingsException("settings.version", version
                    + " is not supported yet: Ferry speaks NFSv3; use NFS3, or AUTOMATIC to take the best version Ferry speaks");
        }
        int uid = reader.optionalLong("uid", 0, 0xffff_fffeL).map(Long::intValue).orElse(0);
        int gid = reader.optionalLong("gid", 0, 0xffff_fffeL).map(Long::intValue).orElse(0);
        return new NfsSettings(host, port, mountPort, path, version, uid, gid);
    }

    @Override
    public Set<String> secretFields() {
        return Set.of();
    }

    @Override
    public Reach reach() {
        return Reach.AGENT;
    }

    @Override
    public LocationTraits traits(NfsSettings settings) {
        return new LocationTraits(NfsLocation.CAPABILITIES, java.time.Duration.ofNanos(1));
    }

    @Override
    public Location open(NfsSettings settings) {
        return new NfsLocation(settings);
    }
}
