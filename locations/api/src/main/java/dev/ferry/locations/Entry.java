package dev.ferry.locations;

import java.util.Objects;

/**
 * One listed item.
 *
 * @param key location-relative key; directories end with {@code /}
 * @param type what it is
 * @param size content length in bytes; zero for directories
 * @param metadata what the location knows of times, mode and owners
 */
public record Entry(String key, EntryType type, long size, FileMetadata metadata) {
    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metadata, "metadata");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if ((type == EntryType.DIRECTORY) != (Keys.isDirectory(key) || Keys.ROOT.equals(key))) {
            throw new IllegalArgumentException("a directory key, and only a directory key, ends with '/': " + key);
        }
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }
}
