package dev.ferry.locations.s3;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ObjectStoreListing;
import java.util.Iterator;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Streams a prefix page by page in key order (S3's order is the canonical one). The listing has
 * sizes but not user metadata: callers stat what they must compare. Memory holds one page.
 */
final class S3Listing implements Iterator<Entry> {
    private final Iterator<S3Object> objects;
    private final String prefix;

    private S3Listing(S3Client client, String bucket, String prefix) {
        this.prefix = prefix;
        this.objects = client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(1000)).contents().iterator();
    }

    static Stream<Entry> stream(S3Client client, String bucket, String prefix) {
        return ObjectStoreListing.of(new S3Listing(client, bucket, prefix));
    }

    /** A page that cannot be fetched fails the listing with the store's reason, as any other call does. */
    @Override
    public boolean hasNext() {
        try {
            return objects.hasNext();
        } catch (SdkException e) {
            throw S3Location.failure("/", e);
        }
    }

    @Override
    public Entry next() {
        S3Object object;
        try {
            object = objects.next();
        } catch (SdkException e) {
            throw S3Location.failure("/", e);
        }
        String key = object.key().substring(prefix.length());
        return Keys.isDirectory(key) || key.isEmpty() ? new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE)
                : new Entry(key, EntryType.FILE, object.size(), FileMetadata.NONE);
    }
}
