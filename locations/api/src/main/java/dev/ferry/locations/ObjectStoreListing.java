package dev.ferry.locations;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns an object store's flat listing, in name order, into canonical entries: directories that
 * exist only because names run through them are listed just before their first entry (a
 * directory key {@code d/} is the least key with that prefix, so the order stays canonical), and a
 * directory's marker object is listed once. Memory holds the current path only.
 */
public final class ObjectStoreListing implements Iterator<Entry> {
    private final Iterator<Entry> objects;
    /** Directory keys on the path of the last entry, outermost first. */
    private final Deque<String> openDirectories = new ArrayDeque<>();
    private final Deque<Entry> ready = new ArrayDeque<>();

    private ObjectStoreListing(Iterator<Entry> objects) {
        this.objects = objects;
    }

    /**
     * @param objects the store's objects below the root, keys relative to it, in name order:
     *     files, and directory markers (keys ending with {@code /})
     */
    public static Stream<Entry> of(Iterator<Entry> objects) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new ObjectStoreListing(objects),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && objects.hasNext()) {
            Entry object = objects.next();
            String key = object.key();
            if (key.isEmpty()) {
                continue; // the root's own marker
            }
            openParents(key);
            if (object.isDirectory()) {
                if (!openDirectories.contains(key)) {
                    openDirectories.addLast(key);
                    ready.add(object);
                }
            } else {
                ready.add(object);
            }
        }
        return !ready.isEmpty();
    }

    /** Emits directory entries for every parent of {@code key} not yet listed. */
    private void openParents(String key) {
        while (!openDirectories.isEmpty() && !key.startsWith(openDirectories.peekLast())) {
            openDirectories.removeLast();
        }
        String parent = Keys.parent(key);
        String known = openDirectories.isEmpty() ? "" : openDirectories.peekLast();
        int from = known.length();
        while (from < parent.length()) {
            int slash = parent.indexOf('/', from);
            String dir = parent.substring(0, slash + 1);
            openDirectories.addLast(dir);
            ready.add(new Entry(dir, EntryType.DIRECTORY, 0, FileMetadata.NONE));
            from = slash + 1;
        }
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }
}
