package dev.ferry.locations.hdfs;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.KerberosCredentials;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationDriver;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Reach;
import dev.ferry.locations.SettingsReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Driver for HDFS (DataSync's HDFS location: name nodes, subdirectory, block size, replication,
 * SIMPLE user or Kerberos, RPC and data-transfer protection), reached through an agent on the cluster's
 * network with Hadoop's own client.
 */
public final class HdfsLocationDriver implements LocationDriver<HdfsSettings> {
    public static final String KIND = "hdfs";
    static final List<String> PROTECTIONS = List.of("DISABLED", "AUTHENTICATION", "INTEGRITY", "PRIVACY");
    private static final Set<String> FIELDS = Set.of("nameNodes", "subdirectory", "blockSize", "replicationFactor",
            "authenticationType", "simpleUser", "rpcProtection", "dataTransferProtection", "kerberosPrincipal", "kerberosKeytab",
            "kerberosKrb5Conf", "nameNodePrincipal");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public HdfsSettings parse(Map<String, Object> raw) {
        Map<String, Object> rest = new HashMap<>(raw == null ? Map.of() : raw);
        List<String> nameNodes = nameNodes(rest.remove("nameNodes"));
        SettingsReader reader = new SettingsReader(rest, "settings.", FIELDS);
        String subdirectory = reader.optionalString("subdirectory").orElse("/");
        String directory = "/" + subdirectory.replaceAll("^/+|/+$", "");
        if (!directory.equals("/") && !Keys.isValid(directory.substring(1) + "/")) {
            throw new InvalidSettingsException("settings.subdirectory", "'" + subdirectory + "' is not a directory path");
        }
        long blockSize = reader.optionalLong("blockSize", 1L << 20, 1L << 30).orElse(128L << 20);
        if (blockSize % 512 != 0) {
            throw new InvalidSettingsException("settings.blockSize", "must be a multiple of 512 bytes");
        }
        int replication = reader.optionalLong("replicationFactor", 1, 512).map(Long::intValue).orElse(3);
        String auth = reader.optionalString("authenticationType").orElse("SIMPLE");
        if (!auth.equals("SIMPLE") && !auth.equals("KERBEROS")) {
            throw new InvalidSettingsException("settings.authenticationType", "must be SIMPLE or KERBEROS, got '" + auth + "'");
        }
        Optional<KerberosCredentials> kerberos = Optional.empty();
        String user;
        String nameNodePrincipal = "";
        if (auth.equals("KERBEROS")) {
            reader.requireAbsent(List.of("simpleUser"), "is for SIMPLE; with KERBEROS the user is the kerberosPrincipal's");
            kerberos = Optional.of(KerberosCredentials.parse(reader, "settings."));
            user = kerberos.get().user();
            nameNodePrincipal = reader.optionalString("nameNodePrincipal").orElse("hdfs/_HOST@" + kerberos.get().realm());
            if (!nameNodePrincipal.matches("[^@\\s]+/[^@\\s]+@[A-Za-z0-9._-]+")) {
                throw new InvalidSettingsException("settings.nameNodePrincipal", "must be SERVICE/HOST@REALM (HOST may be _HOST), got '"
                        + nameNodePrincipal + "'");
            }
        } else {
            reader.requireAbsent(KerberosCredentials.FIELDS, "needs authenticationType KERBEROS");
            reader.requireAbsent(List.of("nameNodePrincipal"), "needs authenticationType KERBEROS");
            user = reader.requireString("simpleUser");
        }
        return new HdfsSettings(nameNodes, directory, blockSize, replication, user, protection(reader, "rpcProtection"),
                protection(reader, "dataTransferProtection"), kerberos, nameNodePrincipal);
    }

    private static String protection(SettingsReader reader, String field) {
        String value = reader.optionalString(field).orElse("DISABLED");
        if (!PROTECTIONS.contains(value)) {
            throw new InvalidSettingsException("settings." + field, "must be one of " + PROTECTIONS + ", got '" + value + "'");
        }
        return value;
    }

    /** DataSync's form: a list of {@code {"hostname": H, "port": P}}. */
    private static List<String> nameNodes(Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidSettingsException("settings.nameNodes", "is required: a list of {\"hostname\": H, \"port\": P}");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String field = "settings.nameNodes[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> node)) {
                throw new InvalidSettingsException(field, "must be {\"hostname\": H, \"port\": P}");
            }
            for (Object key : node.keySet()) {
                if (!"hostname".equals(key) && !"port".equals(key)) {
                    throw new InvalidSettingsException(field + "." + key, "unknown setting; allowed: [hostname, port]");
                }
            }
            if (!(node.get("hostname") instanceof String host) || !host.matches("[A-Za-z0-9._:\\[\\]-]+")) {
                throw new InvalidSettingsException(field + ".hostname", "must be a host name or IP address");
            }
            if (!(node.get("port") instanceof Number port) || port.doubleValue() != port.intValue() || port.intValue() < 1
                    || port.intValue() > 65535) {
                throw new InvalidSettingsException(field + ".port", "must be a port number (1 to 65535)");
            }
            out.add(host + ":" + ((Number) node.get("port")).intValue());
        }
        return out;
    }

    @Override
    public Set<String> secretFields() {
        return Set.of(KerberosCredentials.SECRET_FIELD);
    }

    @Override
    public Reach reach() {
        return Reach.AGENT;
    }

    @Override
    public LocationTraits traits(HdfsSettings settings) {
        return new LocationTraits(HdfsLocation.CAPABILITIES, HdfsLocation.TIME_GRANULARITY, HdfsLocation.MODE_BITS);
    }

    @Override
    public Location open(HdfsSettings settings) {
        return new HdfsLocation(settings);
    }
}
