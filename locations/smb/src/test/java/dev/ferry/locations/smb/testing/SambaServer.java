package dev.ferry.locations.smb.testing;

import dev.ferry.locations.testing.KerberosKdc;
import dev.ferry.locations.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Samba server in its own process, on a free loopback port, with every state directory
 * in a temporary directory. Two shares: {@code data}, and {@code secure}, which requires
 * encryption. Two users, made as Unix users first if missing (Samba's users must be), so the
 * tests run as root, as CI does: {@link #USER}, and {@link #BACKUP_USER}, who holds a backup
 * operator's privileges (to set any owner and to read and write SACLs). One user, made as a Unix user first if missing (Samba's users must be), so the
 * tests run as root, as CI does. {@link #close()} stops the server and removes its directory.
 */
public final class SambaServer implements AutoCloseable {
    public static final String USER = "ferrysmb";
    public static final String BACKUP_USER = "ferrybak";
    /** The name a Kerberos client asks tickets for. */
    public static final String SERVICE_PRINCIPAL = "cifs/localhost";
    public static final String PASSWORD = "Ferry-test-1";
    /** Windows' privileges to read and set SACLs, take ownership and give files any owner. */
    private static final List<String> BACKUP_PRIVILEGES = List.of("SeSecurityPrivilege", "SeRestorePrivilege",
            "SeBackupPrivilege", "SeTakeOwnershipPrivilege");

    private final ServerProcess process;
    private final Path directory;
    private final int port;

    private SambaServer(ServerProcess process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    public static SambaServer start() {
        return start(null);
    }

    /**
     * A server that also takes Kerberos tickets from {@code kdc} for {@code cifs/localhost}, the
     * name clients must then use for it. Its users log in as {@code USER@REALM}.
     */
    public static SambaServer startWithKerberos(KerberosKdc kdc) {
        return start(kdc);
    }

    private static SambaServer start(KerberosKdc kdc) {
        try {
            Path directory = Files.createTempDirectory("ferry-samba");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String dir : List.of("state", "private", "lock", "cache", "pid", "log", "state/ncalrpc")) {
                Files.createDirectories(directory.resolve(dir));
            }
            for (String share : List.of("data", "secure")) {
                Path path = Files.createDirectory(directory.resolve(share));
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            int port = ServerProcess.freePort();
            Path conf = directory.resolve("smb.conf");
            Files.writeString(conf, String.join("\n",
                    "[global]",
                    "  interfaces = lo",
                    "  bind interfaces only = yes",
                    "  smb ports = " + port,
                    "  disable netbios = yes",
                    "  server min protocol = SMB2_10",
                    "  server max protocol = SMB3_11",
                    "  server role = standalone server",
                    "  map to guest = never",
                    "  load printers = no",
                    "  printcap name = /dev/null",
                    "  state directory = " + directory.resolve("state"),
                    "  private dir = " + directory.resolve("private"),
                    "  lock directory = " + directory.resolve("lock"),
                    "  cache directory = " + directory.resolve("cache"),
                    "  pid directory = " + directory.resolve("pid"),
                    "  ncalrpc dir = " + directory.resolve("state/ncalrpc"),
                    "  log file = " + directory.resolve("log/smbd.log"),
                    "  passdb backend = tdbsam:" + directory.resolve("private/passdb.tdb"),
                    "  vfs objects = acl_xattr",
                    kerberos(kdc),
                    "[data]",
                    "  path = " + directory.resolve("data"),
                    "  read only = no",
                    "  case sensitive = yes",
                    "[secure]",
                    "  path = " + directory.resolve("secure"),
                    "  read only = no",
                    "  case sensitive = yes",
                    "  smb encrypt = required",
                    ""));
            ensureUser(conf, USER);
            ensureUser(conf, BACKUP_USER);
            List<String> grant = new java.util.ArrayList<>(List.of("net", "-s", conf.toString(), "sam", "rights", "grant", BACKUP_USER));
            grant.addAll(BACKUP_PRIVILEGES);
            if (run(grant, null) != 0) {
                throw new IllegalStateException("net sam rights grant could not give " + BACKUP_USER + " its privileges");
            }
            // Never --no-process-group: smbd would signal its whole group on exit, this JVM included.
            ServerProcess process = ServerProcess.start("smbd", directory,
                    List.of("smbd", "--foreground", "--debug-stdout", "-s", conf.toString()),
                    kdc == null ? Map.of() : Map.of("KRB5_CONFIG", kdc.krb5ConfFile().toString()), port);
            return new SambaServer(process, directory, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Outside a domain, smbd takes Kerberos only from a keytab of its own ("dedicated keytab"). */
    private static String kerberos(KerberosKdc kdc) {
        if (kdc == null) {
            return "";
        }
        Path keytab = kdc.addPrincipalWithKeytab(SERVICE_PRINCIPAL, true);
        return String.join("\n",
                "  realm = " + KerberosKdc.REALM,
                "  kerberos method = dedicated keytab",
                "  dedicated keytab file = FILE:" + keytab);
    }

    private static void ensureUser(Path conf, String user) throws IOException {
        if (run(List.of("id", user), null) != 0 && run(List.of("useradd", "-M", "-s", "/usr/sbin/nologin", user), null) != 0) {
            throw new IllegalStateException("cannot make the Unix user " + user + " that Samba's user needs (run the tests as root)");
        }
        if (run(List.of("smbpasswd", "-c", conf.toString(), "-s", "-a", user), PASSWORD + "\n" + PASSWORD + "\n") != 0) {
            throw new IllegalStateException("smbpasswd could not add " + user);
        }
    }

    private static int run(List<String> command, String input) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public int port() {
        return port;
    }

    /** A new empty directory in {@code share}, writable by the SMB user; its path inside the share. */
    public String newDirectory(String share) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 13);
        try {
            Path dir = Files.createDirectory(directory.resolve(share).resolve(name));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    /** Where {@code share} keeps its files on this host, to check what the server wrote. */
    public Path sharePath(String share) {
        return directory.resolve(share);
    }

    /** Settings of an {@code smb} location on a new empty directory of {@code share}, as {@link #USER}. */
    public Map<String, Object> locationSettings(String share) {
        return locationSettings(share, USER);
    }

    /** Settings of an {@code smb} location on a new empty directory of {@code share}, as {@code user}. */
    public Map<String, Object> locationSettings(String share, String user) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("serverHostname", "127.0.0.1");
        raw.put("serverPort", port);
        raw.put("subdirectory", "/" + share + "/" + newDirectory(share));
        raw.put("user", user);
        raw.put("password", PASSWORD);
        return raw;
    }

    @Override
    public void close() {
        process.close();
        ServerProcess.deleteTree(directory);
    }
}
