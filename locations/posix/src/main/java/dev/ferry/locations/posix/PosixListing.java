package dev.ferry.locations.posix;

import dev.ferry.locations.Entry;
import dev.ferry.locations.KeyOrder;
import dev.ferry.locations.ListingScope;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Depth-first walk that sorts each directory's children by key and descends into a directory
 * right after listing it, which yields the global canonical key order. Memory holds one sorted
 * directory per level of depth, never the whole tree. Symbolic links are listed, never followed.
 */
final class PosixListing implements Iterator<Entry> {
    /** Prefix of in-progress writes; such files are never listed. */
    static final String TEMP_PREFIX = ".ferry-tmp-";

    private record Level(List<Entry> entries, int[] next) {
    }

    private final Path root;
    private final ListingScope scope;
    private final Deque<Level> stack = new ArrayDeque<>();
    private Entry pending;

    private PosixListing(Path root, ListingScope scope) {
        this.root = root;
        this.scope = scope;
        stack.push(readDirectory(root, ""));
    }

    static Stream<Entry> stream(Path root, ListingScope scope) {
        PosixListing listing = new PosixListing(root, scope);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SORTED), false);
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        while (!stack.isEmpty()) {
            Level top = stack.peek();
            if (top.next[0] >= top.entries.size()) {
                stack.pop();
                continue;
            }
            Entry entry = top.entries.get(top.next[0]++);
            if (entry.isDirectory() && scope.descend(entry.key())) {
                stack.push(readDirectory(root.resolve(entry.key()), entry.key()));
            }
            pending = entry;
            return true;
        }
        return false;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = pending;
        pending = null;
        return entry;
    }

    private static Level readDirectory(Path dir, String dirKey) {
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
        entries.sort(Comparator.comparing(Entry::key, KeyOrder.COMPARATOR));
        return new Level(entries, new int[] {0});
    }
}
