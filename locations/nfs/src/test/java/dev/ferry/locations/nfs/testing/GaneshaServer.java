package dev.ferry.locations.nfs.testing;

import dev.ferry.locations.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real NFS server: nfs-ganesha with its VFS back end, exporting a temporary directory over
 * NFSv3 and v4 on loopback, on ports chosen free at start. Ganesha needs a port mapper: one is
 * started here if none answers on port 111 (and stopped with the server); ganesha's registration
 * there is not relied on, since the ports are given to the client directly. Runs as root, as CI
 * does. {@link #close()} stops what it started and removes its directory.
 */
public final class GaneshaServer implements AutoCloseable {
    public static final String PSEUDO = "/export";

    private final ServerProcess ganesha;
    private final ServerProcess rpcbind;
    private final Path directory;
    private final int nfsPort;
    private final int mountPort;

    private GaneshaServer(ServerProcess ganesha, ServerProcess rpcbind, Path directory, int nfsPort, int mountPort) {
        this.ganesha = ganesha;
        this.rpcbind = rpcbind;
        this.directory = directory;
        this.nfsPort = nfsPort;
        this.mountPort = mountPort;
    }

    public static GaneshaServer start() {
        ServerProcess rpcbind = null;
        try {
            Path directory = Files.createTempDirectory("ferry-ganesha");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path export = Files.createDirectory(directory.resolve("export"));
            Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createDirectory(directory.resolve("recovery"));
            if (!ServerProcess.listening(111)) {
                rpcbind = ServerProcess.start("rpcbind", directory, List.of("rpcbind", "-f"), Map.of(), 111);
            }
            int nfsPort = ServerProcess.freePort();
            int mountPort = ServerProcess.freePort();
            Path conf = directory.resolve("ganesha.conf");
            Files.writeString(conf, String.join("\n",
                    "NFS_CORE_PARAM {",
                    "  Bind_addr = 127.0.0.1;",
                    "  NFS_Port = " + nfsPort + ";",
                    "  MNT_Port = " + mountPort + ";",
                    "  NLM_Port = " + ServerProcess.freePort() + ";",
                    "  Rquota_Port = " + ServerProcess.freePort() + ";",
                    "  Enable_NLM = false;",
                    "  Enable_UDP = false;",
                    "  Enable_RQUOTA = false;",
                    "  Protocols = 3, 4;",
                    "  mount_path_pseudo = true;",
                    "}",
                    "NFSv4 {",
                    "  Graceless = true;",
                    "  RecoveryRoot = " + directory.resolve("recovery") + ";",
                    "  Minor_Versions = 0, 1, 2;",
                    "}",
                    "EXPORT {",
                    "  Export_Id = 1;",
                    "  Path = " + export + ";",
                    "  Pseudo = " + PSEUDO + ";",
                    "  Access_Type = RW;",
                    "  Squash = No_Root_Squash;",
                    "  Protocols = 3, 4;",
                    "  Transports = TCP;",
                    "  SecType = sys;",
                    "  FSAL { Name = VFS; }",
                    "}",
                    ""));
            ServerProcess ganesha = ServerProcess.start("ganesha", directory, List.of("ganesha.nfsd", "-F", "-f", conf.toString(),
                    "-L", directory.resolve("ganesha-server.log").toString(), "-p", directory.resolve("ganesha.pid").toString()),
                    Map.of(), nfsPort);
            ganesha.awaitListening(mountPort);
            return new GaneshaServer(ganesha, rpcbind, directory, nfsPort, mountPort);
        } catch (IOException | RuntimeException e) {
            if (rpcbind != null) {
                rpcbind.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public int nfsPort() {
        return nfsPort;
    }

    public int mountPort() {
        return mountPort;
    }

    /** The exported directory on this host, to check what the server wrote. */
    public Path exportPath() {
        return directory.resolve("export");
    }

    /** A new empty directory in the export, writable by anyone; its name. */
    public String newDirectory() {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 13);
        try {
            Path dir = Files.createDirectory(exportPath().resolve(name));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    /** Settings of an {@code nfs} location on a new empty directory of the export, as root. */
    public Map<String, Object> locationSettings() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("serverHostname", "127.0.0.1");
        raw.put("serverPort", nfsPort);
        raw.put("mountPort", mountPort);
        raw.put("subdirectory", PSEUDO + "/" + newDirectory());
        return raw;
    }

    @Override
    public void close() {
        ganesha.close();
        if (rpcbind != null) {
            rpcbind.close();
        }
        ServerProcess.deleteTree(directory);
    }
}
