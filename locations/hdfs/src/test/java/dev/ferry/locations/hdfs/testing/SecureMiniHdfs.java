package dev.ferry.locations.hdfs.testing;

import dev.ferry.locations.testing.KerberosKdc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A Kerberized HDFS, as production clusters run: Hadoop's MiniDFSCluster whose name node and data
 * node log in to a real MIT KDC ({@link KerberosKdc}) as {@code hdfs/localhost}, block access
 * tokens on, and data transfer protected by SASL ({@code authentication}), which Hadoop allows
 * only with HTTPS web servers (their keystores made here). Hadoop's security switch is global to
 * the JVM, so tests of this run in a JVM of their own. {@link #close()} shuts it all down.
 */
public final class SecureMiniHdfs implements AutoCloseable {
    public static final String SERVICE = "hdfs/localhost@" + KerberosKdc.REALM;
    public static final String USER = "ferry";

    private final KerberosKdc kdc;
    private final MiniDFSCluster cluster;
    private final Path directory;
    private final String sslConfDir;
    private final UserGroupInformation superuser;
    private final byte[] userKeytab;

    private SecureMiniHdfs(KerberosKdc kdc, MiniDFSCluster cluster, Path directory, String sslConfDir,
            UserGroupInformation superuser, byte[] userKeytab) {
        this.kdc = kdc;
        this.cluster = cluster;
        this.directory = directory;
        this.sslConfDir = sslConfDir;
        this.superuser = superuser;
        this.userKeytab = userKeytab;
    }

    public static SecureMiniHdfs start() {
        KerberosKdc kdc = KerberosKdc.start();
        try {
            Path directory = Files.createTempDirectory("ferry-secure-hdfs");
            Path serviceKeytab = kdc.addPrincipalsWithKeytab(true, "hdfs/localhost", "HTTP/localhost");
            byte[] userKeytab = Files.readAllBytes(kdc.addPrincipalWithKeytab(USER, false));
            System.setProperty("java.security.krb5.conf", kdc.krb5ConfFile().toString());

            Configuration conf = new Configuration();
            conf.set("hadoop.security.authentication", "kerberos");
            conf.setBoolean("hadoop.security.authorization", true);
            for (String daemon : List.of("namenode", "datanode")) {
                conf.set("dfs." + daemon + ".kerberos.principal", SERVICE);
                conf.set("dfs." + daemon + ".keytab.file", serviceKeytab.toString());
            }
            conf.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + KerberosKdc.REALM);
            conf.set("dfs.web.authentication.kerberos.keytab", serviceKeytab.toString());
            conf.setBoolean("dfs.block.access.token.enable", true);
            conf.set("dfs.data.transfer.protection", "authentication");
            conf.set("dfs.http.policy", "HTTPS_ONLY");
            conf.set("dfs.namenode.https-address", "localhost:0");
            conf.set("dfs.datanode.https.address", "localhost:0");
            conf.set("dfs.datanode.address", "localhost:0");
            conf.set("dfs.datanode.ipc.address", "localhost:0");
            String sslConfDir = sslConfig(directory);
            conf.set("dfs.client.https.keystore.resource", CLIENT_SSL_RESOURCE);
            conf.set("dfs.https.server.keystore.resource", SERVER_SSL_RESOURCE);
            conf.set("hadoop.ssl.server.conf", SERVER_SSL_RESOURCE);
            conf.set("hadoop.ssl.client.conf", CLIENT_SSL_RESOURCE);
            conf.setInt("dfs.namenode.file.close.num-committed-allowed", 1);
            conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
            conf.setInt("dfs.replication", 1);
            UserGroupInformation.setConfiguration(conf);
            UserGroupInformation superuser = UserGroupInformation.loginUserFromKeytabAndReturnUGI(SERVICE, serviceKeytab.toString());
            MiniDFSCluster cluster = superuser.doAs((PrivilegedExceptionAction<MiniDFSCluster>) () -> {
                MiniDFSCluster c = new MiniDFSCluster.Builder(conf, directory.resolve("cluster").toFile()).numDataNodes(1).build();
                c.waitActive();
                return c;
            });
            return new SecureMiniHdfs(kdc, cluster, directory, sslConfDir, superuser, userKeytab);
        } catch (Exception e) {
            kdc.close();
            throw new IllegalStateException("the Kerberized HDFS did not start: " + e, e);
        }
    }

    private static final String SERVER_SSL_RESOURCE = "ferry-secure-hdfs-ssl-server.xml";
    private static final String CLIENT_SSL_RESOURCE = "ferry-secure-hdfs-ssl-client.xml";
    private static final String STORE_PASSWORD = "ferry-test";

    /**
     * A key store for the web servers (made with the JDK's keytool) and the two configuration
     * files Hadoop reads them from, as resources: in the test classes' directory, on the class path.
     */
    private static String sslConfig(Path directory) throws Exception {
        Path keystore = directory.resolve("server.jks");
        Path truststore = directory.resolve("trust.jks");
        Path cert = directory.resolve("server.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "JKS",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool(keytool, "-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore",
                truststore.toString(), "-storetype", "JKS", "-storepass", STORE_PASSWORD);
        Path classes = Path.of(SecureMiniHdfs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.writeString(classes.resolve(SERVER_SSL_RESOURCE), xml(Map.of(
                "ssl.server.keystore.location", keystore.toString(), "ssl.server.keystore.password", STORE_PASSWORD,
                "ssl.server.keystore.keypassword", STORE_PASSWORD, "ssl.server.keystore.type", "jks",
                "ssl.server.truststore.location", truststore.toString(), "ssl.server.truststore.password", STORE_PASSWORD,
                "ssl.server.truststore.type", "jks")));
        Files.writeString(classes.resolve(CLIENT_SSL_RESOURCE), xml(Map.of(
                "ssl.client.truststore.location", truststore.toString(), "ssl.client.truststore.password", STORE_PASSWORD,
                "ssl.client.truststore.type", "jks")));
        return classes.toString();
    }

    private static void keytool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }

    private static String xml(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        properties.forEach((name, value) -> out.append("  <property><name>").append(name).append("</name><value>").append(value)
                .append("</value></property>\n"));
        return out.append("</configuration>\n").toString();
    }

    public KerberosKdc kdc() {
        return kdc;
    }

    /** A client as the cluster's superuser ({@code hdfs}), to check what HDFS holds without Ferry's driver. */
    public FileSystem fileSystem() {
        try {
            return superuser.doAs((PrivilegedExceptionAction<FileSystem>) cluster::getFileSystem);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kerberos settings of an {@code hdfs} location, as {@link #USER}, on a new empty directory that user owns. */
    public Map<String, Object> locationSettings(String name, byte[] keytab) {
        String dir = "/ferry/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (FileSystem fs = fileSystem()) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
            fs.mkdirs(path, new FsPermission((short) 0755));
            fs.setOwner(path, USER, USER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> raw = new HashMap<>();
        raw.put("nameNodes", List.of(Map.of("hostname", "localhost", "port", cluster.getNameNodePort())));
        raw.put("subdirectory", dir);
        raw.put("replicationFactor", 1);
        raw.put("blockSize", 4L << 20);
        raw.put("authenticationType", "KERBEROS");
        raw.put("kerberosPrincipal", USER + "@" + KerberosKdc.REALM);
        raw.put("kerberosKeytab", Base64.getEncoder().encodeToString(keytab));
        raw.put("kerberosKrb5Conf", kdc.krb5Conf());
        raw.put("nameNodePrincipal", "hdfs/_HOST@" + KerberosKdc.REALM);
        raw.put("dataTransferProtection", "AUTHENTICATION");
        raw.put("rpcProtection", "AUTHENTICATION");
        return raw;
    }

    public Map<String, Object> locationSettings(String name) {
        return locationSettings(name, userKeytab);
    }

    @Override
    public void close() {
        cluster.shutdown(true);
        try {
            Files.deleteIfExists(Path.of(sslConfDir, SERVER_SSL_RESOURCE));
            Files.deleteIfExists(Path.of(sslConfDir, CLIENT_SSL_RESOURCE));
        } catch (IOException ignored) {
            // Left in target/test-classes; the next build's clean removes them.
        }
        kdc.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temp directory left behind does no harm.
        }
    }
}
