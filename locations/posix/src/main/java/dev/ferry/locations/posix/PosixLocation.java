package dev.ferry.locations.posix;

import dev.ferry.locations.Capability;
import dev.ferry.locations.ChannelInputStream;
import dev.ferry.locations.DeviceNode;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.locations.UnsupportedCapabilityException;
import dev.ferry.locations.Stored;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A directory tree on a local or mounted file system. Writes go to a temporary file in the target
 * directory, are flushed to disk, get their metadata, and are renamed into place atomically.
 * Runs of zero blocks are written as holes, so sparse files stay sparse.
 * No operation follows a symbolic link: a key whose path passes through one is refused, so a link
 * inside the root cannot lead outside it.
 */
public final class PosixLocation implements Location {
    private static final Set<Capability> CAPABILITIES =
            EnumSet.of(Capability.RANGED_READ, Capability.POSIX_METADATA, Capability.SET_METADATA,
            Capability.HIERARCHICAL_DIRECTORIES, Capability.HARD_LINKS, Capability.DEVICES);
    private static final int COPY_BUFFER = 1 << 20;
    /** Zero blocks of this size, aligned to it in the file, are written as holes. */
    private static final int HOLE_BLOCK = 4096;
    private static final byte[] ZERO_BLOCK = new byte[HOLE_BLOCK];

    private final Path root;
    /** Reads open files through their directories' handles: no {@code lstat} of each directory on the way. */
    private final DirectoryHandles directories;

    public PosixLocation(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.directories = new DirectoryHandles(this.root);
    }

    public Path root() {
        return root;
    }

    @Override
    public String kind() {
        return PosixLocationDriver.KIND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Stream<Entry> list() {
        return list(ListingScope.EVERYTHING);
    }

    /** Directories the scope rules out are listed but never read. */
    @Override
    public Stream<Entry> list(ListingScope scope) {
        requireRoot();
        return PosixListing.stream(root, scope);
    }

    @Override
    public Optional<Entry> stat(String key) {
        if (Keys.ROOT.equals(key)) {
            try {
                Entry root = PosixAttributes.entry(this.root, "");
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, root.metadata()));
            } catch (IOException e) {
                throw failure("/", e);
            }
        }
        Path path = resolve(key);
        try {
            Entry entry = PosixAttributes.entry(path, trimSlash(key));
            if (Keys.isDirectory(key) != entry.isDirectory()) {
                return Optional.empty();
            }
            return Optional.of(entry);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRead(String key, long offset) {
        if (offset != 0 && !CAPABILITIES.contains(Capability.RANGED_READ)) {
            throw new UnsupportedCapabilityException(kind(), Capability.RANGED_READ);
        }
        Keys.requireValid(key);
        SeekableByteChannel channel;
        try {
            channel = directories.openRead(trimSlash(key)).orElse(null);
        } catch (IOException e) {
            // Whatever stood in the way is told apart by the path's own checks below, which give
            // the same errors as ever (a link on the way is an invalid key); a race may even pass.
            channel = null;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(resolve(key), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            if (offset > 0) {
                channel.position(offset);
            }
            return new ChannelInputStream(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw failure(key, e);
        }
    }

    private static void closeQuietly(SeekableByteChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Opened for reading: nothing to lose.
            }
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
        Path target = resolve(key);
        Path parent = target.getParent();
        createDirectories(parent, key);
        Path temp = parent.resolve(PosixListing.TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        if (metadata.linkTarget().isPresent()) {
            // Stored as given, relative or absolute: it is data, and nothing Ferry writes later
            // passes through it (see resolve).
            putNode(key, target, temp, size, metadata, () -> Files.createSymbolicLink(temp, Path.of(metadata.linkTarget().get())));
            return;
        }
        if (metadata.device().isPresent()) {
            putNode(key, target, temp, size, metadata, () -> makeDeviceNode(temp, metadata.device().get()));
            return;
        }
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long written = copy(content, out, size, key);
                if (written != size) {
                    throw new SizeMismatchException(key, size, written);
                }
                out.force(false);
            }
            PosixAttributes.apply(temp, metadata);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new LocationException("TYPE_CONFLICT", "a directory of that name exists: " + key, e);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private interface NodeMaker {
        void make() throws IOException;
    }

    /**
     * A symbolic link, device or FIFO: made under a temporary name, given its owner and times, and
     * renamed over the final name, like a file. It has no content to write.
     */
    private static void putNode(String key, Path target, Path temp, long size, FileMetadata metadata, NodeMaker maker) {
        if (size != 0) {
            throw new SizeMismatchException(key, 0, size);
        }
        try {
            maker.make();
            PosixAttributes.apply(temp, metadata);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            deleteQuietly(temp);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new LocationException("TYPE_CONFLICT", "a directory of that name exists: " + key);
            }
            throw e instanceof IOException io ? failure(key, io)
                    : new LocationException("INVALID_LINK", key + ": the link target cannot be written here: " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * The JDK cannot make device nodes or FIFOs, so {@code mknod(1)} does, with no shell between.
     * Devices need root (CAP_MKNOD); without it the file fails with ACCESS_DENIED.
     */
    private static void makeDeviceNode(Path path, DeviceNode node) throws IOException {
        java.util.List<String> command = node.kind() == DeviceNode.Kind.FIFO
                ? java.util.List.of("mknod", "-m", "600", "--", path.toString(), "p")
                : java.util.List.of("mknod", "-m", "600", "--", path.toString(), node.kind().letter(),
                        Long.toString(node.major()), Long.toString(node.minor()));
        PosixAttributes.run(command);
    }

    /**
     * Gives the file at {@code existingKey} the further name {@code key}: a hard link made under a
     * temporary name and renamed over the final one, so a file already there is replaced whole.
     */
    @Override
    public void link(String existingKey, String key) {
        if (Keys.isDirectory(Keys.requireValid(key)) || Keys.isDirectory(Keys.requireValid(existingKey))) {
            throw new InvalidKeyException(key, "only files are hard-linked");
        }
        Path existing = resolve(existingKey);
        Path target = resolve(key);
        Path parent = target.getParent();
        createDirectories(parent, key);
        Path temp = parent.resolve(PosixListing.TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotFoundException(existingKey);
            }
            Files.createLink(temp, existing);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new LocationException("TYPE_CONFLICT", "a directory of that name exists: " + key, e);
            }
            throw failure(key, e);
        }
    }

    /**
     * Copies {@code content} into {@code out}, leaving every all-zero block aligned to
     * {@link #HOLE_BLOCK} as a hole, as {@code cp --sparse} does: a sparse source arrives sparse
     * (its holes read as zeros), and the bytes read back are the same either way. The buffer is
     * filled before it is scanned so blocks stay aligned to the file, whatever sizes reads return.
     */
    private static long copy(InputStream in, FileChannel out, long size, String key) throws IOException {
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(size, 1))];
        long total = 0;
        while (true) {
            int filled = 0;
            int n = 0;
            while (filled < buffer.length && (n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
                filled += n;
                if (total + filled > size) {
                    throw new SizeMismatchException(key, size, -1);
                }
            }
            writeSkippingZeroBlocks(out, buffer, filled, total);
            total += filled;
            if (n < 0) {
                if (total > 0 && out.size() < total) {
                    out.write(ByteBuffer.wrap(new byte[1]), total - 1); // a trailing hole still counts in the size
                }
                return total;
            }
        }
    }

    private static void writeSkippingZeroBlocks(FileChannel out, byte[] buffer, int length, long position) throws IOException {
        int runStart = -1;
        for (int at = 0; at < length; at += HOLE_BLOCK) {
            int end = Math.min(at + HOLE_BLOCK, length);
            boolean zero = end - at == HOLE_BLOCK && Arrays.mismatch(buffer, at, end, ZERO_BLOCK, 0, HOLE_BLOCK) < 0;
            if (zero && runStart >= 0) {
                writeFully(out, buffer, runStart, at, position);
                runStart = -1;
            } else if (!zero && runStart < 0) {
                runStart = at;
            }
        }
        if (runStart >= 0) {
            writeFully(out, buffer, runStart, length, position);
        }
    }

    private static void writeFully(FileChannel out, byte[] buffer, int from, int to, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, from, to - from);
        while (bb.hasRemaining()) {
            out.write(bb, position + bb.position());
        }
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        Path dir = resolve(key);
        createDirectories(dir, key);
        try {
            PosixAttributes.apply(dir, metadata);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void remove(String key) {
        Path path = resolve(key);
        try {
            if (Keys.isDirectory(key) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.deleteIfExists(path);
        } catch (DirectoryNotEmptyException e) {
            throw new LocationException("NOT_EMPTY", "directory is not empty: " + key, e);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        Path path = Keys.ROOT.equals(key) ? root : resolve(key);
        try {
            PosixAttributes.apply(path, metadata);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() {
        directories.close();
    }

    /**
     * The path for {@code key}, after checking the key and that no directory on the way is a
     * symbolic link (the final component is opened with NOFOLLOW by each caller).
     */
    private Path resolve(String key) {
        Keys.requireValid(key);
        Path path = root.resolve(trimSlash(key));
        Path dir = path.getParent();
        if (!dir.equals(root)) {
            Path walked = root;
            for (Path segment : root.relativize(dir)) {
                walked = walked.resolve(segment);
                if (Files.isSymbolicLink(walked)) {
                    throw new InvalidKeyException(key, "path passes through a symbolic link");
                }
            }
        }
        return path;
    }

    private void requireRoot() {
        if (!Files.isDirectory(root)) {
            throw new LocationException("ROOT_NOT_FOUND", "location root is not a directory: " + root);
        }
    }

    private void createDirectories(Path dir, String key) {
        requireRoot();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new LocationException("NOT_A_DIRECTORY", "a parent of " + key + " exists and is not a directory", e);
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    private static String trimSlash(String key) {
        return Keys.isDirectory(key) ? key.substring(0, key.length() - 1) : key;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The temporary name is never listed; a later run removes leftovers.
        }
    }

    static LocationException failure(String key, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new NotFoundException(key);
        }
        if (e instanceof AccessDeniedException) {
            return new LocationException("ACCESS_DENIED", "permission denied: " + key, e);
        }
        if (e.getCause() instanceof LocationException cause) {
            return cause;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Operation not permitted")) {
            return new LocationException("ACCESS_DENIED", "operation not permitted on " + key + ": " + message, e);
        }
        return new LocationException("IO_ERROR", key + ": " + message, e);
    }
}
