package dev.ferry.locations.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real MIT Kerberos KDC (Debian's krb5-kdc) in its own process, on a free loopback port, with
 * its database and configuration in a temporary directory: realm {@link #REALM}, TCP only.
 * Principals and keytabs are made with kadmin.local on that database. {@link #close()} stops the
 * KDC and removes its directory.
 */
public final class KerberosKdc implements AutoCloseable {
    public static final String REALM = "FERRY.TEST";

    private final ServerProcess process;
    private final Path directory;
    private final String krb5Conf;
    private final Map<String, String> environment;

    private KerberosKdc(ServerProcess process, Path directory, String krb5Conf, Map<String, String> environment) {
        this.process = process;
        this.directory = directory;
        this.krb5Conf = krb5Conf;
        this.environment = environment;
    }

    public static KerberosKdc start() {
        try {
            Path directory = Files.createTempDirectory("ferry-kdc");
            int port = ServerProcess.freePort();
            // No DNS anywhere: names are used as given, and clients speak TCP (udp_preference_limit).
            String krb5Conf = String.join("\n",
                    "[libdefaults]",
                    "  default_realm = " + REALM,
                    "  dns_lookup_realm = false",
                    "  dns_lookup_kdc = false",
                    "  rdns = false",
                    "  dns_canonicalize_hostname = false",
                    "  udp_preference_limit = 1",
                    "[realms]",
                    "  " + REALM + " = {",
                    "    kdc = 127.0.0.1:" + port,
                    "  }",
                    "");
            Files.writeString(directory.resolve("krb5.conf"), krb5Conf);
            Files.writeString(directory.resolve("kdc.conf"), String.join("\n",
                    "[kdcdefaults]",
                    "  kdc_listen = 127.0.0.1:" + port,
                    "  kdc_tcp_listen = 127.0.0.1:" + port,
                    "[realms]",
                    "  " + REALM + " = {",
                    "    database_name = " + directory.resolve("principal"),
                    "    key_stash_file = " + directory.resolve("stash"),
                    "    acl_file = " + directory.resolve("kadm5.acl"),
                    "    kdc_listen = 127.0.0.1:" + port,
                    "    kdc_tcp_listen = 127.0.0.1:" + port,
                    "    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal",
                    "  }",
                    ""));
            Map<String, String> environment = Map.of("KRB5_CONFIG", directory.resolve("krb5.conf").toString(),
                    "KRB5_KDC_PROFILE", directory.resolve("kdc.conf").toString());
            run(directory, environment, List.of("kdb5_util", "create", "-s", "-r", REALM, "-P", "ferry-master-key"));
            ServerProcess process = ServerProcess.start("krb5kdc", directory, List.of("krb5kdc", "-n"), environment, port);
            return new KerberosKdc(process, directory, krb5Conf, environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The krb5.conf clients of this KDC use. */
    public String krb5Conf() {
        return krb5Conf;
    }

    /** The same, as a file, for servers that read it from {@code KRB5_CONFIG}. */
    public Path krb5ConfFile() {
        return directory.resolve("krb5.conf");
    }

    /**
     * Adds {@code principal} (without the realm) with a random key and returns a new keytab
     * holding it. A service principal gets tickets without a PAC: Samba outside a domain refuses
     * tickets that carry one, and MIT's KDC adds one by default.
     */
    public Path addPrincipalWithKeytab(String principal, boolean service) {
        return addPrincipalsWithKeytab(service, principal);
    }

    /** Several principals, all in one new keytab (a Hadoop daemon's own and its web server's). */
    public Path addPrincipalsWithKeytab(boolean service, String... principals) {
        Path keytab = directory.resolve(principals[0].replaceAll("[^A-Za-z0-9]", "_") + "-" + System.nanoTime() + ".keytab");
        for (String principal : principals) {
            kadmin("addprinc -randkey " + (service ? "+no_auth_data_required " : "") + principal);
            kadmin("ktadd -k " + keytab + " " + principal);
        }
        return keytab;
    }

    private void kadmin(String query) {
        run(directory, environment, List.of("kadmin.local", "-r", REALM, "-q", query));
    }

    private static void run(Path directory, Map<String, String> environment, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process p = builder.start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // kadmin.local reports a failed query on its output and still exits 0.
            if (p.waitFor() != 0 || output.contains("error") || output.contains("rror ")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
        ServerProcess.deleteTree(directory);
    }
}
