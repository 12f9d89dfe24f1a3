package dev.ferry.locations.posix;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Reads and applies full POSIX metadata through the JDK's {@code unix:} attribute view. */
final class PosixAttributes {
    private static final String ALL = "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

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
        FileMetadata metadata = FileMetadata.of(
                ((FileTime) attrs.get("lastModifiedTime")).toInstant(),
                ((FileTime) attrs.get("lastAccessTime")).toInstant(),
                mode & 07777,
                ((Number) attrs.get("uid")).longValue(),
                ((Number) attrs.get("gid")).longValue());
        boolean dir = type == EntryType.DIRECTORY;
        long size = type == EntryType.FILE ? (Long) attrs.get("size") : 0;
        return new Entry(dir ? keyWithoutSlash + "/" : keyWithoutSlash, type, size, metadata);
    }

    /**
     * Applies what {@code metadata} holds. Owner first (chown clears set-id bits), then mode, then
     * times last, so nothing after it changes them.
     */
    static void apply(Path path, FileMetadata metadata) throws IOException {
        if (metadata.uid().isPresent() || metadata.gid().isPresent()) {
            Map<String, Object> current = Files.readAttributes(path, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            long uid = metadata.uid().orElse(((Number) current.get("uid")).longValue());
            long gid = metadata.gid().orElse(((Number) current.get("gid")).longValue());
            if (uid != ((Number) current.get("uid")).longValue()) {
                Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid != ((Number) current.get("gid")).longValue()) {
                Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (metadata.mode().isPresent()) {
            Files.setAttribute(path, "unix:mode", metadata.mode().getAsInt(), LinkOption.NOFOLLOW_LINKS);
        }
        if (metadata.mtime().isPresent() || metadata.atime().isPresent()) {
            FileTime mtime = metadata.mtime().map(FileTime::from).orElse(null);
            FileTime atime = metadata.atime().map(FileTime::from).orElse(null);
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, atime, null);
        }
    }
}
