package dev.ferry.locations.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ObjectStoreListing;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Streams a container prefix page by page in name order, metadata included: Azure returns it
 * with the listing, so no blob costs a request of its own. Memory holds one page.
 */
final class AzureBlobListing implements Iterator<Entry> {
    private static final int PAGE = 5000;

    private final Iterator<BlobItem> blobs;
    private final String prefix;

    private AzureBlobListing(BlobContainerClient container, String prefix) {
        this.prefix = prefix;
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix).setMaxResultsPerPage(PAGE)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        this.blobs = container.listBlobs(options, null).iterator();
    }

    static Stream<Entry> stream(BlobContainerClient container, String prefix) {
        return ObjectStoreListing.of(new AzureBlobListing(container, prefix));
    }

    /** A page that cannot be fetched fails the listing with the service's reason. */
    @Override
    public boolean hasNext() {
        try {
            return blobs.hasNext();
        } catch (RuntimeException e) {
            throw AzureBlobLocation.failure("/", e);
        }
    }

    @Override
    public Entry next() {
        BlobItem blob;
        try {
            blob = blobs.next();
        } catch (RuntimeException e) {
            throw AzureBlobLocation.failure("/", e);
        }
        String key = blob.getName().substring(prefix.length());
        FileMetadata metadata = AzureMetadata.fromBlobMetadata(blob.getMetadata());
        if (Keys.isDirectory(key) || key.isEmpty()) {
            return new Entry(key, EntryType.DIRECTORY, 0, metadata);
        }
        if (metadata.mtime().isEmpty() && blob.getProperties().getLastModified() != null) {
            metadata = metadata.withMtime(Optional.of(blob.getProperties().getLastModified().toInstant()));
        }
        EntryType type = AzureBlobLocation.typeOf(metadata);
        return new Entry(key, type, type == EntryType.FILE ? blob.getProperties().getContentLength() : 0, metadata);
    }
}
