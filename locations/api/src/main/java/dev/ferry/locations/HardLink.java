package dev.ferry.locations;

import java.util.Objects;

/**
 * That a file has more than one name: every name of one file carries the same {@code fileId}
 * within one listing of one location, so a transfer can write the file once and link the others.
 *
 * @param fileId identifies the file (on POSIX, its device and inode); opaque and only for comparing
 * @param linkCount how many names the file has in all, inside the location or not
 */
public record HardLink(String fileId, long linkCount) {
    public HardLink {
        Objects.requireNonNull(fileId, "fileId");
        if (linkCount < 2) {
            throw new IllegalArgumentException("a hard-linked file has at least two names, not " + linkCount);
        }
    }
}
