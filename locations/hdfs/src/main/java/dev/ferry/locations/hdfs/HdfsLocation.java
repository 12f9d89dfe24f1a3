package dev.ferry.locations.hdfs;

import dev.ferry.locations.Capability;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.ExactLengthInputStream;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.KerberosFiles;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SortedTreeWalk;
import dev.ferry.locations.Stored;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A directory in HDFS, through Hadoop's client, acting as the configured user. Writes go to a
 * hidden temporary file in the target directory, get their metadata, and are renamed over the
 * final name in one step. HDFS keeps mtime and atime to the millisecond (atime as coarsely as the
 * cluster's access-time precision), permission bits, and owner and group by name only.
 */
public final class HdfsLocation implements Location {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ, Capability.POSIX_METADATA,
            Capability.SET_METADATA, Capability.HIERARCHICAL_DIRECTORIES));
    static final Duration TIME_GRANULARITY = Duration.ofMillis(1);
    /** Permission bits and the sticky bit: HDFS has no set-uid or set-gid. */
    static final int MODE_BITS = 01777;
    static final String TEMP_PREFIX = ".ferry-tmp-";
    private static final int BUFFER = 256 << 10;

    private final HdfsSettings settings;
    private final UserGroupInformation user;
    private final FileSystem fs;
    private final FileContext context;
    private final KerberosFiles kerberos;

    public HdfsLocation(HdfsSettings settings) {
        this.settings = settings;
        Configuration conf = configuration(settings);
        this.kerberos = settings.kerberos().map(KerberosFiles::new).orElse(null);
        try {
            this.user = kerberos == null ? UserGroupInformation.createRemoteUser(settings.user()) : login(settings, conf);
        } catch (RuntimeException e) {
            closeKerberos();
            throw e;
        }
        try {
            URI uri = URI.create(conf.get("fs.defaultFS"));
            this.fs = user.doAs((PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(uri, conf));
            this.context = user.doAs((PrivilegedExceptionAction<FileContext>) () -> FileContext.getFileContext(uri, conf));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeKerberos();
            throw new LocationException("HDFS_UNREACHABLE", "cannot open HDFS at " + settings.nameNodes() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A Kerberos login from the location's keytab. Hadoop keeps whether security is on for the
     * whole JVM, so the first Kerberos location turns it on; the RPC client logs in again from the
     * keytab by itself when the ticket runs out.
     */
    private UserGroupInformation login(HdfsSettings settings, Configuration conf) {
        synchronized (HdfsLocation.class) {
            if (!UserGroupInformation.isSecurityEnabled()) {
                UserGroupInformation.setConfiguration(conf);
            }
        }
        try {
            return UserGroupInformation.loginUserFromKeytabAndReturnUGI(settings.kerberos().get().principal(),
                    kerberos.keytab().toString());
        } catch (IOException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", settings.kerberos().get().principal() + ": " + e.getMessage(), e);
        }
    }

    private void closeKerberos() {
        if (kerberos != null) {
            kerberos.close();
        }
    }

    /** The client configuration the settings describe: one name node, or an HA pair as one name service. */
    static Configuration configuration(HdfsSettings settings) {
        Configuration conf = new Configuration();
        if (settings.nameNodes().size() == 1) {
            conf.set("fs.defaultFS", "hdfs://" + settings.nameNodes().get(0));
        } else {
            String service = "ferry";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < settings.nameNodes().size(); i++) {
                ids.add("nn" + i);
                conf.set("dfs.namenode.rpc-address." + service + ".nn" + i, settings.nameNodes().get(i));
            }
            conf.set("dfs.nameservices", service);
            conf.set("dfs.ha.namenodes." + service, String.join(",", ids));
            conf.set("dfs.client.failover.proxy.provider." + service,
                    "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
            conf.set("fs.defaultFS", "hdfs://" + service);
        }
        if (settings.kerberos().isPresent()) {
            conf.set("hadoop.security.authentication", "kerberos");
            conf.set("dfs.namenode.kerberos.principal", settings.nameNodePrincipal());
        }
        if (!settings.rpcProtection().equals("DISABLED")) {
            conf.set("hadoop.rpc.protection", settings.rpcProtection().toLowerCase(java.util.Locale.ROOT));
        }
        if (!settings.dataTransferProtection().equals("DISABLED")) {
            conf.set("dfs.data.transfer.protection", settings.dataTransferProtection().toLowerCase(java.util.Locale.ROOT));
        }
        // Small files: ask for the next block sooner than Hadoop's default 400 ms back-off, and keep
        // writing when a failed data node cannot be replaced on a small cluster.
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
        conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.best-effort", true);
        return conf;
    }

    @Override
    public String kind() {
        return HdfsLocationDriver.KIND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Duration timeGranularity() {
        return TIME_GRANULARITY;
    }

    @Override
    public int modeBits() {
        return MODE_BITS;
    }

    @Override
    public Stream<Entry> list() {
        return list(ListingScope.EVERYTHING);
    }

    @Override
    public Stream<Entry> list(ListingScope scope) {
        return SortedTreeWalk.stream(this::children, scope);
    }

    private List<Entry> children(String dirKey) {
        List<Entry> entries = new ArrayList<>();
        try {
            if (dirKey.isEmpty() && !fs.exists(path(dirKey))) {
                return entries; // a destination not made yet holds nothing
            }
            RemoteIterator<FileStatus> statuses = fs.listStatusIterator(path(dirKey));
            while (statuses.hasNext()) {
                FileStatus status = statuses.next();
                String name = status.getPath().getName();
                if (!name.startsWith(TEMP_PREFIX)) {
                    entries.add(entry(dirKey + name, status));
                }
            }
        } catch (IOException e) {
            throw failure(dirKey.isEmpty() ? "/" : dirKey, e);
        }
        return entries;
    }

    private static Entry entry(String keyWithoutSlash, FileStatus status) throws IOException {
        FileMetadata metadata = new FileMetadata(Optional.of(Instant.ofEpochMilli(status.getModificationTime())),
                Optional.of(Instant.ofEpochMilli(status.getAccessTime())), OptionalInt.of(status.getPermission().toShort() & 07777),
                OptionalLong.empty(), OptionalLong.empty(), Optional.ofNullable(status.getOwner()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(status.getGroup()).filter(s -> !s.isEmpty()));
        if (status.isDirectory()) {
            return new Entry(keyWithoutSlash + "/", EntryType.DIRECTORY, 0, metadata);
        }
        if (status.isSymlink()) {
            return new Entry(keyWithoutSlash, EntryType.SYMLINK, 0, metadata.withLinkTarget(Optional.of(status.getSymlink().toString())));
        }
        return new Entry(keyWithoutSlash, EntryType.FILE, status.getLen(), metadata);
    }

    @Override
    public Optional<Entry> stat(String key) {
        String checked = Keys.requireValidOrRoot(key);
        try {
            if (Keys.ROOT.equals(checked) && !fs.exists(path(checked))) {
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
            }
            FileStatus status = fs.getFileLinkStatus(path(checked));
            if (Keys.ROOT.equals(checked)) {
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, entry("", status).metadata()));
            }
            Entry entry = entry(Keys.isDirectory(checked) ? checked.substring(0, checked.length() - 1) : checked, status);
            return entry.isDirectory() == Keys.isDirectory(checked) ? Optional.of(entry) : Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        try {
            FSDataInputStream in = fs.open(path(key), BUFFER);
            if (offset > 0) {
                in.seek(offset);
            }
            return in;
        } catch (FileNotFoundException e) {
            throw new NotFoundException(key);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public Stored put(String key, long size, FileMetadata metadata, InputStream content) {
        write(key, size, metadata, content);
        return Stored.NOTHING; // No checksum or version of its own is kept here.
    }

    private void write(String key, long size, FileMetadata metadata, InputStream content) {
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a file key must not end with '/'");
        }
        requireNameHdfsCanHold(key);
        if (metadata.linkTarget().isPresent() || metadata.device().isPresent()) {
            throw new LocationException("NOT_SUPPORTED", key + ": HDFS locations keep neither symbolic links nor devices");
        }
        String parent = Keys.parent(key);
        Path temp = path(parent + TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        ExactLengthInputStream exact = new ExactLengthInputStream(content, key, size);
        boolean renamed = false;
        try {
            makeParents(parent);
            try (OutputStream out = fs.create(temp, FsPermission.getFileDefault(), false, BUFFER, (short) settings.replication(),
                    settings.blockSize(), null)) {
                exact.transferTo(out);
            }
            apply(temp, metadata);
            context.rename(temp, path(key), Options.Rename.OVERWRITE);
            renamed = true;
        } catch (IOException e) {
            if (exact.failure() != null) {
                throw exact.failure();
            }
            if (isDirectory(key)) {
                throw new LocationException("TYPE_CONFLICT", "a directory of that name exists: " + key, e);
            }
            throw failure(key, e);
        } finally {
            if (!renamed) {
                deleteQuietly(temp);
            }
        }
    }

    private void makeParents(String dirKey) throws IOException {
        if (!dirKey.isEmpty()) {
            try {
                fs.mkdirs(path(dirKey));
            } catch (FileAlreadyExistsException | ParentNotDirectoryException e) {
                throw new LocationException("NOT_A_DIRECTORY", "a parent of " + dirKey + " exists and is not a directory", e);
            }
        }
    }

    private boolean isDirectory(String key) {
        try {
            return fs.getFileStatus(path(key)).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    private void deleteQuietly(Path temp) {
        try {
            fs.delete(temp, false);
        } catch (IOException ignored) {
            // A leftover temporary name is never listed; the next write of the file does not meet it.
        }
    }

    /** Owner first (a change of owner may clear bits), then permission, then times. */
    private void apply(Path path, FileMetadata metadata) throws IOException {
        if (metadata.owner().isPresent() || metadata.group().isPresent()) {
            fs.setOwner(path, metadata.owner().orElse(null), metadata.group().orElse(null));
        }
        if (metadata.mode().isPresent()) {
            fs.setPermission(path, new FsPermission((short) (metadata.mode().getAsInt() & MODE_BITS)));
        }
        if (metadata.mtime().isPresent() || metadata.atime().isPresent()) {
            fs.setTimes(path, metadata.mtime().map(Instant::toEpochMilli).orElse(-1L),
                    metadata.atime().map(Instant::toEpochMilli).orElse(-1L));
        }
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        requireNameHdfsCanHold(key);
        try {
            makeParents(key);
            apply(path(key), metadata);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    /** Removing what is not there, or what is of the other type, removes nothing. */
    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        try {
            FileStatus status = fs.getFileLinkStatus(path(key));
            if (status.isDirectory() == Keys.isDirectory(key)) {
                fs.delete(path(key), false);
            }
        } catch (FileNotFoundException e) {
            // Not there: nothing to remove.
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        String checked = Keys.requireValidOrRoot(key);
        try {
            if (Keys.ROOT.equals(checked)) {
                fs.mkdirs(path(checked));
            }
            apply(path(checked), metadata);
        } catch (FileNotFoundException e) {
            throw new NotFoundException(key);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException ignored) {
            // Closing a client whose cluster is gone.
        } finally {
            closeKerberos();
        }
    }

    private Path path(String key) {
        String bare = Keys.isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        String base = settings.directory();
        return new Path(bare.isEmpty() ? base : base.equals("/") ? "/" + bare : base + "/" + bare);
    }

    /** HDFS refuses a colon in a name, and Hadoop's paths would read one as a URI scheme. */
    private static void requireNameHdfsCanHold(String key) {
        if (key.indexOf(':') >= 0) {
            throw new InvalidKeyException(key, "HDFS names cannot hold ':'");
        }
    }

    static LocationException failure(String key, IOException e) {
        String code;
        if (e instanceof FileNotFoundException) {
            code = "NOT_FOUND";
        } else if (e instanceof AccessControlException) {
            code = "ACCESS_DENIED";
        } else if (e instanceof ParentNotDirectoryException) {
            code = "NOT_A_DIRECTORY";
        } else if (e instanceof PathIsNotEmptyDirectoryException) {
            code = "DIRECTORY_NOT_EMPTY";
        } else if (e.getClass().getSimpleName().contains("QuotaExceeded")) {
            code = "NO_SPACE";
        } else {
            code = "IO_ERROR";
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        return new LocationException(code, key + ": " + message, e);
    }
}
