package dev.ferry.locations;

import java.util.Objects;

/**
 * One listed item.
 *
 * @param key location-relative key; directories end with {@code /}
 * @param type what it is
 * @param size content length in bytes; zero for directories
 * @param metadata what the location knows of times, mode and owners
 * @param checksum the checksum the store computed itself over the content, where it keeps one
 *     that Ferry can compute at a source too ({@link Capability#NATIVE_CHECKSUM}); never written
 * @param version which version of the object the store holds, where its listings and stats show
 *     one (object stores); never written
 */
public record Entry(String key, EntryType type, long size, FileMetadata metadata, java.util.Optional<ContentChecksum> checksum,
        java.util.Optional<StoreVersion> version) {
    public Entry {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(checksum, "checksum");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if ((type == EntryType.DIRECTORY) != (Keys.isDirectory(key) || Keys.ROOT.equals(key))) {
            throw new IllegalArgumentException("a directory key, and only a directory key, ends with '/': " + key);
        }
    }

    /** Without a store's version. */
    public Entry(String key, EntryType type, long size, FileMetadata metadata, java.util.Optional<ContentChecksum> checksum) {
        this(key, type, size, metadata, checksum, java.util.Optional.empty());
    }

    /** Without a store's checksum or version. */
    public Entry(String key, EntryType type, long size, FileMetadata metadata) {
        this(key, type, size, metadata, java.util.Optional.empty());
    }

    /** The same entry with other metadata; the store's checksum and version stay. */
    public Entry withMetadata(FileMetadata other) {
        return new Entry(key, type, size, other, checksum, version);
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }
}
