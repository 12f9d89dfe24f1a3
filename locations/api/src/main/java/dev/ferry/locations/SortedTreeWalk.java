package dev.ferry.locations;

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
 * The listing of a hierarchical store: a depth-first walk that sorts each directory's children by
 * key and descends into a directory right after listing it, which yields the global canonical key
 * order. Memory holds one sorted directory per level of depth, never the whole tree. Directories
 * the scope rules out are listed but not entered.
 */
public final class SortedTreeWalk implements Iterator<Entry> {
    /** Reads one directory of the store. */
    @FunctionalInterface
    public interface DirectoryReader {
        /**
         * The entries directly in the directory {@code dirKey} ({@link Keys#ROOT} for the root),
         * in any order, each with its full key.
         */
        List<Entry> children(String dirKey) throws LocationException;
    }

    private record Level(List<Entry> entries, int[] next) {
    }

    private final DirectoryReader reader;
    private final ListingScope scope;
    private final Deque<Level> stack = new ArrayDeque<>();
    private Entry pending;

    private SortedTreeWalk(DirectoryReader reader, ListingScope scope) {
        this.reader = reader;
        this.scope = scope;
        stack.push(read(Keys.ROOT));
    }

    public static Stream<Entry> stream(DirectoryReader reader, ListingScope scope) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new SortedTreeWalk(reader, scope),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
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
                stack.push(read(entry.key()));
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

    private Level read(String dirKey) {
        List<Entry> entries = new ArrayList<>(reader.children(dirKey));
        entries.sort(Comparator.comparing(Entry::key, KeyOrder.COMPARATOR));
        return new Level(entries, new int[] {0});
    }
}
