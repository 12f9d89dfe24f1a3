package dev.ferry.locations.posix;

import dev.ferry.locations.Entry;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.SortedTreeWalk;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sorted depth-first walk of a directory tree ({@link SortedTreeWalk}). Symbolic links are
 * listed, never followed; in-progress writes are never listed.
 */
final class PosixListing {
    /** Prefix of in-progress writes; such files are never listed. */
    static final String TEMP_PREFIX = ".ferry-tmp-";

    private PosixListing() {
    }

    static Stream<Entry> stream(Path root, ListingScope scope) {
        return SortedTreeWalk.stream(dirKey -> children(root.resolve(dirKey), dirKey), scope);
    }

    private static List<Entry> children(Path dir, String dirKey) {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    continue;
                }
                try {
                    entries.add(PosixAttributes.entry(child, dirKey + name));
                } catch (java.nio.file.NoSuchFileException vanished) {
                    // Removed between readdir and stat: it is not there to list.
                }
            }
        } catch (IOException e) {
            throw PosixLocation.failure(dirKey.isEmpty() ? "/" : dirKey, e);
        }
        return entries;
    }
}
