package dev.ferry.locations.nfs;

import dev.ferry.locations.Capability;
import dev.ferry.locations.DeviceNode;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.ExactLengthInputStream;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.HardLink;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SortedTreeWalk;
import dev.ferry.locations.Stored;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A directory in an NFS export, spoken to as NFSv3 directly. Writes go to a hidden temporary
 * file in the target directory: data with unstable WRITEs, several in flight, made durable by one
 * COMMIT whose verifier must match every write's (a server that restarted meanwhile lost them),
 * then the metadata, then a RENAME over the final name. Reads keep several READs in flight.
 * Times are kept to the nanosecond, with mode, uid and gid (NFSv3 knows owners by number only).
 */
public final class NfsLocation implements Location {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ, Capability.POSIX_METADATA,
            Capability.SET_METADATA, Capability.HIERARCHICAL_DIRECTORIES, Capability.HARD_LINKS));
    static final String TEMP_PREFIX = ".ferry-tmp-";
    /** Requests of one file kept in flight at once. */
    static final int WINDOW = 4;
    private static final int HANDLE_CACHE = 4096;

    private final NfsSettings settings;
    private final Nfs3Client client;
    private final byte[] root;
    private final int readSize;
    private final int writeSize;
    /** Directory handles by key, most recently used last; bounded, so memory does not grow with the tree. */
    private final Map<String, byte[]> directories = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > HANDLE_CACHE;
        }
    };

    public NfsLocation(NfsSettings settings) {
        this.settings = settings;
        int mountPort = settings.mountPort().orElseGet(() -> PortMapper.port(settings.host(), Nfs3Client.MOUNT_PROGRAM, 3));
        this.client = new Nfs3Client(settings.host(), settings.port(), mountPort, settings.uid(), settings.gid());
        try {
            this.root = mountRoot();
            Nfs3Client.FsInfo info = client.fsinfo(root);
            this.readSize = clamp(info.readPreferred(), info.readMax());
            this.writeSize = clamp(info.writePreferred(), info.writeMax());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static int clamp(int preferred, int max) {
        int size = preferred > 0 ? preferred : 64 << 10;
        return Math.max(4096, Math.min(size, max > 0 ? max : size));
    }

    /**
     * The handle of the location's directory: the longest leading part of the path the server
     * exports is mounted, and the rest looked up inside it.
     */
    private byte[] mountRoot() {
        String[] parts = settings.path().equals("/") ? new String[0] : settings.path().substring(1).split("/");
        LocationException first = null;
        for (int n = parts.length; n >= 0; n--) {
            String export = "/" + String.join("/", java.util.Arrays.copyOf(parts, n));
            byte[] fh;
            try {
                fh = client.mount(export);
            } catch (LocationException e) {
                if (first == null) {
                    first = e;
                }
                continue;
            }
            for (int i = n; i < parts.length; i++) {
                String what = "LOOKUP " + settings.path();
                Nfs3Client.Handle h = client.lookup(fh, parts[i], what).orElseThrow(() -> new NotFoundException(settings.path()));
                if (h.attributes() != null && h.attributes().type() != Nfs3Attributes.DIR) {
                    throw new LocationException("NOT_A_DIRECTORY", settings.path() + " is not a directory");
                }
                fh = h.fh();
            }
            return fh;
        }
        throw first;
    }

    @Override
    public String kind() {
        return NfsLocationDriver.KIND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
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
        byte[] dir = directory(dirKey);
        List<Entry> entries = new ArrayList<>();
        long cookie = 0;
        byte[] verifier = new byte[8];
        while (true) {
            Nfs3Client.DirPage page = client.readdirplus(dir, cookie, verifier, "READDIRPLUS " + show(dirKey));
            for (Nfs3Client.DirEntry e : page.entries()) {
                cookie = e.cookie();
                if (e.name().equals(".") || e.name().equals("..") || e.name().startsWith(TEMP_PREFIX)) {
                    continue;
                }
                String key = dirKey + e.name();
                Nfs3Attributes attributes = e.attributes();
                byte[] fh = e.fh();
                if (attributes == null || fh == null) {
                    Optional<Nfs3Client.Handle> h = client.lookup(dir, e.name(), "LOOKUP " + key);
                    if (h.isEmpty()) {
                        continue; // removed since the listing began
                    }
                    fh = h.get().fh();
                    attributes = h.get().attributes() != null ? h.get().attributes() : client.getattr(fh, "GETATTR " + key);
                }
                if (attributes.type() == Nfs3Attributes.DIR) {
                    remember(key + "/", fh);
                }
                entries.add(entry(key, attributes, fh));
            }
            if (page.eof()) {
                return entries;
            }
            verifier = page.cookieVerifier();
        }
    }

    private Entry entry(String keyWithoutSlash, Nfs3Attributes a, byte[] fh) {
        FileMetadata metadata = new FileMetadata(Optional.of(a.mtime()), Optional.of(a.atime()), OptionalInt.of(a.mode()),
                OptionalLong.of(a.uid()), OptionalLong.of(a.gid()));
        return switch (a.type()) {
            case Nfs3Attributes.DIR -> new Entry(keyWithoutSlash + "/", EntryType.DIRECTORY, 0, metadata);
            case Nfs3Attributes.LNK -> new Entry(keyWithoutSlash, EntryType.SYMLINK, 0,
                    metadata.withLinkTarget(Optional.of(client.readlink(fh, "READLINK " + keyWithoutSlash))));
            case Nfs3Attributes.REG -> new Entry(keyWithoutSlash, EntryType.FILE, a.size(), a.nlink() > 1
                    ? metadata.withHardLink(Optional.of(new HardLink(Long.toHexString(a.fsid()) + ":" + Long.toHexString(a.fileId()),
                            a.nlink())))
                    : metadata);
            case Nfs3Attributes.CHR -> new Entry(keyWithoutSlash, EntryType.OTHER, 0, metadata.withDevice(Optional.of(
                    new DeviceNode(DeviceNode.Kind.CHARACTER, a.rdevMajor(), a.rdevMinor()))));
            case Nfs3Attributes.BLK -> new Entry(keyWithoutSlash, EntryType.OTHER, 0, metadata.withDevice(Optional.of(
                    new DeviceNode(DeviceNode.Kind.BLOCK, a.rdevMajor(), a.rdevMinor()))));
            case Nfs3Attributes.FIFO -> new Entry(keyWithoutSlash, EntryType.OTHER, 0, metadata.withDevice(Optional.of(DeviceNode.fifo())));
            default -> new Entry(keyWithoutSlash, EntryType.OTHER, 0, metadata); // a socket: no node that can be made again
        };
    }

    @Override
    public Optional<Entry> stat(String key) {
        String checked = Keys.requireValidOrRoot(key);
        if (Keys.ROOT.equals(checked)) {
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, entry("", client.getattr(root, "GETATTR /"), root).metadata()));
        }
        Optional<Nfs3Client.Handle> handle = find(checked);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        Nfs3Attributes a = handle.get().attributes() != null ? handle.get().attributes() : client.getattr(handle.get().fh(), "GETATTR " + key);
        Entry entry = entry(Keys.isDirectory(checked) ? checked.substring(0, checked.length() - 1) : checked, a, handle.get().fh());
        return entry.isDirectory() == Keys.isDirectory(checked) ? Optional.of(entry) : Optional.empty();
    }

    /** The entry at {@code key}, looked up in its parent; empty when it or a parent is not there. */
    private Optional<Nfs3Client.Handle> find(String key) {
        byte[] parent;
        try {
            parent = directory(Keys.parent(key));
        } catch (NotFoundException | Nfs3Exception e) {
            if (e instanceof Nfs3Exception nfs && nfs.status() != Nfs3Exception.NOTDIR) {
                throw e;
            }
            return Optional.empty();
        }
        return client.lookup(parent, Keys.name(key), "LOOKUP " + key);
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        Nfs3Client.Handle handle = find(key).orElseThrow(() -> new NotFoundException(key));
        return new NfsFileInput(client, handle.fh(), key, offset, readSize);
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
        if (metadata.device().isPresent()) {
            throw new LocationException("NOT_SUPPORTED", key + ": NFS locations do not make devices yet");
        }
        byte[] dir = makeDirectories(Keys.parent(key));
        String temp = TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String what = key;
        Nfs3Client.Handle created;
        if (metadata.linkTarget().isPresent()) {
            if (size != 0) {
                throw new dev.ferry.locations.SizeMismatchException(key, 0, size);
            }
            created = client.symlink(dir, temp, metadata.linkTarget().get(), Nfs3Client.Sattr.NONE, "SYMLINK " + what);
        } else {
            created = client.create(dir, temp, new Nfs3Client.Sattr(Optional.of(0600), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()), "CREATE " + what);
        }
        boolean renamed = false;
        try {
            byte[] fh = created.fh() != null ? created.fh() : client.lookup(dir, temp, "LOOKUP " + what).orElseThrow().fh();
            if (metadata.linkTarget().isEmpty()) {
                writeContent(fh, size, new ExactLengthInputStream(content, key, size), what);
            }
            apply(fh, metadata, what);
            client.rename(dir, temp, dir, Keys.name(key), "RENAME " + what);
            renamed = true;
        } finally {
            if (!renamed) {
                try {
                    client.remove(dir, temp, "REMOVE " + what);
                } catch (LocationException ignored) {
                    // A leftover temporary name is never listed.
                }
            }
        }
    }

    /** One WRITE on its way, and how many bytes it carries. */
    private record PendingWrite(CompletableFuture<Nfs3Client.WriteResult> reply, int length) {
    }

    /**
     * Unstable writes, {@link #WINDOW} in flight, then one COMMIT. Every reply is waited for, even
     * after one failed, and the first failure is the one reported; a write the server took only in
     * part, or a changed verifier (lost writes), fails the file too.
     */
    private void writeContent(byte[] fh, long size, ExactLengthInputStream in, String what) {
        Deque<PendingWrite> inFlight = new ArrayDeque<>();
        List<Long> verifiers = new ArrayList<>();
        RuntimeException failure = null;
        try {
            long offset = 0;
            while (offset < size) {
                byte[] chunk = in.readNBytes((int) Math.min(writeSize, size - offset));
                if (chunk.length == 0) {
                    break;
                }
                if (inFlight.size() >= WINDOW) {
                    verifiers.add(written(inFlight.removeFirst(), what));
                }
                inFlight.addLast(new PendingWrite(client.write(fh, offset, chunk, chunk.length, "WRITE " + what), chunk.length));
                offset += chunk.length;
            }
            if (offset != size) {
                throw in.failure() != null ? in.failure() : new dev.ferry.locations.SizeMismatchException(what, size, offset);
            }
        } catch (IOException e) {
            failure = in.failure() != null ? in.failure() : new LocationException("SOURCE_READ_FAILED", what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failure = e;
        }
        while (!inFlight.isEmpty()) {
            try {
                verifiers.add(written(inFlight.removeFirst(), what));
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        long committed = client.commit(fh, "COMMIT " + what);
        if (verifiers.stream().anyMatch(v -> v != committed)) {
            throw new LocationException("NFS_WRITE_LOST", what + ": the server restarted while the file was written; it is written again");
        }
    }

    private static long written(PendingWrite write, String what) {
        Nfs3Client.WriteResult result = Nfs3Client.await(write.reply(), "WRITE " + what);
        if (result.count() != write.length()) {
            throw new LocationException("NFS_SHORT_WRITE", what + ": the server took " + result.count() + " of " + write.length()
                    + " bytes of one write");
        }
        return result.verifier();
    }

    /** Owner first (a change of owner may clear set-id bits), then mode and times. */
    private void apply(byte[] fh, FileMetadata metadata, String what) {
        if (metadata.uid().isPresent() || metadata.gid().isPresent()) {
            client.setattr(fh, new Nfs3Client.Sattr(Optional.empty(), boxed(metadata.uid()), boxed(metadata.gid()), Optional.empty(),
                    Optional.empty()), "SETATTR " + what);
        }
        Nfs3Client.Sattr rest = new Nfs3Client.Sattr(metadata.linkTarget().isPresent() ? Optional.empty()
                : metadata.mode().isPresent() ? Optional.of(metadata.mode().getAsInt()) : Optional.empty(),
                Optional.empty(), Optional.empty(), metadata.atime(), metadata.mtime());
        if (!rest.isEmpty()) {
            client.setattr(fh, rest, "SETATTR " + what);
        }
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        apply(makeDirectories(key), metadata, key);
    }

    /** The handle of {@code dirKey}, made with its missing parents. */
    private byte[] makeDirectories(String dirKey) {
        if (dirKey.isEmpty()) {
            return root;
        }
        byte[] known = cached(dirKey);
        if (known != null) {
            return known;
        }
        byte[] parent = makeDirectories(Keys.parent(dirKey));
        String name = Keys.name(dirKey);
        Optional<Nfs3Client.Handle> existing = client.lookup(parent, name, "LOOKUP " + dirKey);
        byte[] fh;
        if (existing.isPresent()) {
            if (existing.get().attributes() != null && existing.get().attributes().type() != Nfs3Attributes.DIR) {
                throw new LocationException("NOT_A_DIRECTORY", "a parent of " + dirKey + " exists and is not a directory");
            }
            fh = existing.get().fh();
        } else {
            try {
                fh = client.mkdir(parent, name, Nfs3Client.Sattr.NONE, "MKDIR " + dirKey).fh();
            } catch (Nfs3Exception e) {
                if (e.status() != Nfs3Exception.EXIST) {
                    throw e;
                }
                fh = null; // made by another writer meanwhile
            }
            if (fh == null) {
                fh = client.lookup(parent, name, "LOOKUP " + dirKey).orElseThrow(() -> new NotFoundException(dirKey)).fh();
            }
        }
        remember(dirKey, fh);
        return fh;
    }

    /** The handle of an existing directory. */
    private byte[] directory(String dirKey) {
        if (dirKey.isEmpty()) {
            return root;
        }
        byte[] known = cached(dirKey);
        if (known != null) {
            return known;
        }
        byte[] parent = directory(Keys.parent(dirKey));
        Nfs3Client.Handle h = client.lookup(parent, Keys.name(dirKey), "LOOKUP " + dirKey)
                .orElseThrow(() -> new NotFoundException(dirKey));
        if (h.attributes() != null && h.attributes().type() != Nfs3Attributes.DIR) {
            throw new Nfs3Exception(Nfs3Exception.NOTDIR, "LOOKUP " + dirKey);
        }
        remember(dirKey, h.fh());
        return h.fh();
    }

    private byte[] cached(String dirKey) {
        synchronized (directories) {
            return directories.get(dirKey);
        }
    }

    private void remember(String dirKey, byte[] fh) {
        synchronized (directories) {
            directories.put(dirKey, fh);
        }
    }

    private void forget(String dirKey) {
        synchronized (directories) {
            directories.keySet().removeIf(k -> k.startsWith(dirKey));
        }
    }

    /** Removing what is not there, or what is of the other type, removes nothing. */
    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        Optional<Nfs3Client.Handle> handle = find(key);
        if (handle.isEmpty()) {
            return;
        }
        byte[] parent = directory(Keys.parent(key));
        Nfs3Attributes a = handle.get().attributes() != null ? handle.get().attributes() : client.getattr(handle.get().fh(), key);
        boolean dir = a.type() == Nfs3Attributes.DIR;
        if (dir != Keys.isDirectory(key)) {
            return;
        }
        try {
            if (dir) {
                client.rmdir(parent, Keys.name(key), "RMDIR " + key);
                forget(key);
            } else {
                client.remove(parent, Keys.name(key), "REMOVE " + key);
            }
        } catch (Nfs3Exception e) {
            if (e.status() != Nfs3Exception.NOENT) {
                throw e;
            }
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        String checked = Keys.requireValidOrRoot(key);
        byte[] fh = Keys.ROOT.equals(checked) ? root : find(checked).orElseThrow(() -> new NotFoundException(key)).fh();
        apply(fh, metadata, show(checked));
    }

    /** A further name for the file at {@code existingKey}: linked under a temporary name, then renamed over {@code key}. */
    @Override
    public void link(String existingKey, String key) {
        Keys.requireValid(existingKey);
        Keys.requireValid(key);
        byte[] fh = find(existingKey).orElseThrow(() -> new NotFoundException(existingKey)).fh();
        byte[] dir = makeDirectories(Keys.parent(key));
        String temp = TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        client.link(fh, dir, temp, "LINK " + key);
        try {
            client.rename(dir, temp, dir, Keys.name(key), "RENAME " + key);
        } catch (LocationException e) {
            client.remove(dir, temp, "REMOVE " + key);
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static String show(String key) {
        return key.isEmpty() ? "/" : key;
    }
}
