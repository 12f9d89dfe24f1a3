package dev.ferry.locations.posix;

import dev.ferry.locations.DeviceNode;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.HardLink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.time.Instant;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import dev.ferry.locations.LocationException;
import java.util.Map;
import java.util.Optional;

/** Reads and applies full POSIX metadata through the JDK's {@code unix:} attribute view. */
final class PosixAttributes {
    private static final String ALL = "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime,nlink,dev,ino,rdev";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private PosixAttributes() {
    }

    /** The entry for {@code path}, without following a final symbolic link. */
    static Entry entry(Path path, String keyWithoutSlash) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, ALL, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        EntryType type = switch (mode & S_IFMT) {
            case S_IFREG -> EntryType.FILE;
            case S_IFDIR -> EntryType.DIRECTORY;
            case S_IFLNK -> EntryType.SYMLINK;
            default -> EntryType.OTHER;
        };
        long uid = ((Number) attrs.get("uid")).longValue();
        long gid = ((Number) attrs.get("gid")).longValue();
        FileMetadata metadata = FileMetadata.of(
                ((FileTime) attrs.get("lastModifiedTime")).toInstant(),
                ((FileTime) attrs.get("lastAccessTime")).toInstant(),
                mode & 07777, uid, gid)
                .withOwnerNames(OwnerNames.user(path, uid), OwnerNames.group(path, gid));
        if (type == EntryType.SYMLINK) {
            metadata = metadata.withLinkTarget(Optional.of(Files.readSymbolicLink(path).toString()));
        }
        if (type == EntryType.OTHER) {
            metadata = metadata.withDevice(device(mode, ((Number) attrs.get("rdev")).longValue()));
        }
        long links = ((Number) attrs.get("nlink")).longValue();
        if (type == EntryType.FILE && links > 1) {
            String fileId = Long.toHexString(((Number) attrs.get("dev")).longValue()) + ":"
                    + Long.toHexString(((Number) attrs.get("ino")).longValue());
            metadata = metadata.withHardLink(Optional.of(new HardLink(fileId, links)));
        }
        boolean dir = type == EntryType.DIRECTORY;
        long size = type == EntryType.FILE ? (Long) attrs.get("size") : 0;
        return new Entry(dir ? keyWithoutSlash + "/" : keyWithoutSlash, type, size, metadata);
    }

    /** What a device or FIFO is; a socket is no node that can be made again, so it has none. */
    private static Optional<DeviceNode> device(int mode, long rdev) {
        return switch (mode & S_IFMT) {
            case S_IFCHR -> Optional.of(DeviceNode.fromRdev(DeviceNode.Kind.CHARACTER, rdev));
            case S_IFBLK -> Optional.of(DeviceNode.fromRdev(DeviceNode.Kind.BLOCK, rdev));
            case S_IFIFO -> Optional.of(DeviceNode.fifo());
            default -> Optional.empty();
        };
    }

    /**
     * Applies what {@code metadata} holds. Owner first (chown clears set-id bits), then mode, then
     * times last, so nothing after it changes them.
     */
    static void apply(Path path, FileMetadata metadata) throws IOException {
        applyOwner(path, metadata);
        if (metadata.device().isPresent()) {
            applyToNode(path, metadata);
            return;
        }
        // A link's own mode cannot be set on Linux and means nothing. Links come with their target
        // in the metadata, so this costs no extra stat on the path every file write takes.
        if (metadata.mode().isPresent() && metadata.linkTarget().isEmpty()) {
            Files.setAttribute(path, "unix:mode", metadata.mode().getAsInt(), LinkOption.NOFOLLOW_LINKS);
        }
        if (metadata.mtime().isPresent() || metadata.atime().isPresent()) {
            FileTime mtime = metadata.mtime().map(FileTime::from).orElse(null);
            FileTime atime = metadata.atime().map(FileTime::from).orElse(null);
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, atime, null);
        }
    }

    /**
     * Mode and times of a device or FIFO. The JDK opens the file to change either without following
     * links, and opening a FIFO blocks until someone writes to it; so the mode is set through the
     * path (a node is no link to follow) and the times by {@code touch -h}, which never opens it.
     */
    private static void applyToNode(Path path, FileMetadata metadata) throws IOException {
        if (metadata.mode().isPresent()) {
            Files.setAttribute(path, "unix:mode", metadata.mode().getAsInt());
        }
        if (metadata.mtime().isPresent()) {
            run(List.of("touch", "-h", "-m", "-d", "@" + seconds(metadata.mtime().get()), "--", path.toString()));
        }
        if (metadata.atime().isPresent()) {
            run(List.of("touch", "-h", "-a", "-d", "@" + seconds(metadata.atime().get()), "--", path.toString()));
        }
    }

    private static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    /** Runs a command with no shell between; a non-zero exit is an error carrying its output. */
    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                if (output.contains("Operation not permitted")) {
                    throw new AccessDeniedException(command.get(command.size() - 1), null, output);
                }
                throw new IOException(command.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + command.get(0));
        }
    }

    /**
     * Uid/Gid: a name, where given and known on this host, decides (NAME, BOTH); else the number
     * (INT_VALUE, or BOTH for a name this host lacks). A name alone that this host does not know
     * fails the file rather than leaving it owned by whoever wrote it.
     */
    private static void applyOwner(Path path, FileMetadata metadata) throws IOException {
        Optional<UserPrincipal> user = metadata.owner().isPresent() ? OwnerNames.userNamed(path, metadata.owner().get())
                : Optional.empty();
        Optional<GroupPrincipal> group = metadata.group().isPresent() ? OwnerNames.groupNamed(path, metadata.group().get())
                : Optional.empty();
        if (metadata.owner().isPresent() && user.isEmpty() && metadata.uid().isEmpty()) {
            throw new LocationException("UNKNOWN_OWNER", "no user named '" + metadata.owner().get() + "' here (Uid=NAME)");
        }
        if (metadata.group().isPresent() && group.isEmpty() && metadata.gid().isEmpty()) {
            throw new LocationException("UNKNOWN_GROUP", "no group named '" + metadata.group().get() + "' here (Gid=NAME)");
        }
        if (user.isPresent()) {
            if (!Files.getAttribute(path, "posix:owner", LinkOption.NOFOLLOW_LINKS).equals(user.get())) {
                Files.setAttribute(path, "posix:owner", user.get(), LinkOption.NOFOLLOW_LINKS);
            }
        } else if (metadata.uid().isPresent()) {
            long current = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            if (current != metadata.uid().getAsLong()) {
                Files.setAttribute(path, "unix:uid", (int) metadata.uid().getAsLong(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (group.isPresent()) {
            if (!Files.getAttribute(path, "posix:group", LinkOption.NOFOLLOW_LINKS).equals(group.get())) {
                Files.setAttribute(path, "posix:group", group.get(), LinkOption.NOFOLLOW_LINKS);
            }
        } else if (metadata.gid().isPresent()) {
            long current = ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
            if (current != metadata.gid().getAsLong()) {
                Files.setAttribute(path, "unix:gid", (int) metadata.gid().getAsLong(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
