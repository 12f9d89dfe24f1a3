package dev.ferry.locations.s3;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Streams a prefix page by page in key order. Directories that exist only because keys run
 * through them are listed just before their first key: a directory key {@code d/} is the least key
 * with that prefix, so the order stays canonical. Memory holds one page and the current path.
 */
final class S3Listing implements Iterator<Entry> {
    private final Iterator<S3Object> objects;
    private final String prefix;
    /** Directory keys on the path of the last entry, outermost first. */
    private final Deque<String> openDirectories = new ArrayDeque<>();
    private final Deque<Entry> ready = new ArrayDeque<>();

    private S3Listing(S3Client client, String bucket, String prefix) {
        this.prefix = prefix;
        this.objects = client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(1000)).contents().iterator();
    }

    static Stream<Entry> stream(S3Client client, String bucket, String prefix) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new S3Listing(client, bucket, prefix),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** A page that cannot be fetched fails the listing with the store's reason, as any other call does. */
    @Override
    public boolean hasNext() {
        try {
            return fill();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw S3Location.failure("/", e);
        }
    }

    private boolean fill() {
        while (ready.isEmpty() && objects.hasNext()) {
            S3Object object = objects.next();
            String key = object.key().substring(prefix.length());
            if (key.isEmpty()) {
                continue;
            }
            openParents(key);
            if (Keys.isDirectory(key)) {
                if (!openDirectories.contains(key)) {
                    openDirectories.addLast(key);
                    ready.add(new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE));
                }
            } else {
                // The listing has sizes but not user metadata: callers stat what they must compare.
                ready.add(new Entry(key, EntryType.FILE, object.size(), FileMetadata.NONE));
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
