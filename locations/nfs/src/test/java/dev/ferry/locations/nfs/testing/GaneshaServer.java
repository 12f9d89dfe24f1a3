package dev.ferry.locations.nfs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real NFS server: nfs-ganesha with its VFS back end, exporting a temporary directory over
 * NFSv3 and v4 on loopback, on ports chosen free at start. Ganesha needs a port mapper: one is
 * started here if none answers on port 111 (and stopped with the server); ganesha's registration
 * there is not relied on, since the ports are given to the client directly. Runs as root, as CI
 * does. {@link #close()} stops what it started and removes its directory.
 */
public final class GaneshaServer implements AutoCloseable {
    public static final String PSEUDO = "/export";

    private final Process ganesha;
    private final Process rpcbind;
    private final Path directory;
    private final int nfsPort;
    private final int mountPort;

    private GaneshaServer(Process ganesha, Process rpcbind, Path directory, int nfsPort, int mountPort) {
        this.ganesha = ganesha;
        this.rpcbind = rpcbind;
        this.directory = directory;
        this.nfsPort = nfsPort;
        this.mountPort = mountPort;
    }

    public static GaneshaServer start() {
        Process rpcbind = null;
        try {
            Path directory = Files.createTempDirectory("ferry-ganesha");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path export = Files.createDirectory(directory.resolve("export"));
            Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createDirectory(directory.resolve("recovery"));
            if (!listening(111)) {
                rpcbind = new ProcessBuilder(List.of("rpcbind", "-f")).redirectErrorStream(true)
                        .redirectOutput(directory.resolve("rpcbind.log").toFile()).start();
                awaitListening(rpcbind, 111, directory.resolve("rpcbind.log"));
            }
            int nfsPort = freePort();
            int mountPort = freePort();
            Path conf = directory.resolve("ganesha.conf");
            Files.writeString(conf, String.join("\n",
                    "NFS_CORE_PARAM {",
                    "  Bind_addr = 127.0.0.1;",
                    "  NFS_Port = " + nfsPort + ";",
                    "  MNT_Port = " + mountPort + ";",
                    "  NLM_Port = " + freePort() + ";",
                    "  Rquota_Port = " + freePort() + ";",
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
            Process ganesha = new ProcessBuilder(List.of("ganesha.nfsd", "-F", "-f", conf.toString(), "-L",
                    directory.resolve("ganesha.log").toString(), "-p", directory.resolve("ganesha.pid").toString()))
                    .redirectErrorStream(true).redirectOutput(directory.resolve("ganesha.out").toFile()).start();
            GaneshaServer server = new GaneshaServer(ganesha, rpcbind, directory, nfsPort, mountPort);
            try {
                awaitListening(ganesha, nfsPort, directory.resolve("ganesha.log"));
                awaitListening(ganesha, mountPort, directory.resolve("ganesha.log"));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            if (rpcbind != null) {
                rpcbind.destroy();
            }
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitListening(Process process, int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited at start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            if (listening(port)) {
                return;
            }
            process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
        }
        throw new IllegalStateException("nothing listened on port " + port + " within 30 s");
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
        stop(ganesha);
        if (rpcbind != null) {
            stop(rpcbind);
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temp directory left behind does no harm.
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
