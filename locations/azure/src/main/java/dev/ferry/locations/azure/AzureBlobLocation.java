package dev.ferry.locations.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.ferry.locations.Capability;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.ExactLengthInputStream;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.locations.Stored;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A container prefix on Azure Blob Storage, as block blobs. A blob becomes visible only when its
 * single upload or its block list commit completes, so a failed write never shows; staged blocks
 * that were never committed stay invisible and the service drops them. Directories are empty
 * marker blobs whose name ends with {@code /}, carrying the directory's metadata.
 */
public final class AzureBlobLocation implements Location {
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ,
            Capability.MULTIPART_WRITE, Capability.POSIX_METADATA, Capability.SET_METADATA, Capability.DEVICES));
    /** Azure's limit on blocks in one blob. */
    static final int MAX_BLOCKS = 50_000;
    private static final int READ_BLOCK = 4 << 20;

    private final AzureBlobSettings settings;
    private final BlobContainerClient container;

    public AzureBlobLocation(AzureBlobSettings settings) {
        this.settings = settings;
        this.container = new BlobContainerClientBuilder()
                .endpoint(settings.containerUrl())
                .sasToken(settings.sasToken())
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }

    @Override
    public String kind() {
        return AzureBlobLocationDriver.KIND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Lists by name, which for the names Ferry writes is the canonical order, with each blob's metadata. */
    @Override
    public Stream<Entry> list() {
        return AzureBlobListing.stream(container, settings.prefix());
    }

    @Override
    public Optional<Entry> stat(String key) {
        if (Keys.ROOT.equals(key)) {
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, settings.prefix().isEmpty() ? FileMetadata.NONE
                    : properties(settings.prefix()).map(p -> AzureMetadata.fromBlobMetadata(p.getMetadata())).orElse(FileMetadata.NONE)));
        }
        Keys.requireValid(key);
        Optional<BlobProperties> properties = properties(blobName(key));
        if (properties.isEmpty()) {
            return implicitDirectory(key);
        }
        FileMetadata metadata = AzureMetadata.fromBlobMetadata(properties.get().getMetadata());
        if (Keys.isDirectory(key)) {
            return Optional.of(new Entry(key, EntryType.DIRECTORY, 0, metadata));
        }
        if (metadata.mtime().isEmpty() && properties.get().getLastModified() != null) {
            metadata = metadata.withMtime(Optional.of(properties.get().getLastModified().toInstant()));
        }
        EntryType type = typeOf(metadata);
        return Optional.of(new Entry(key, type, type == EntryType.FILE ? properties.get().getBlobSize() : 0, metadata));
    }

    static EntryType typeOf(FileMetadata metadata) {
        return metadata.linkTarget().isPresent() ? EntryType.SYMLINK : metadata.device().isPresent() ? EntryType.OTHER : EntryType.FILE;
    }

    private Optional<BlobProperties> properties(String blobName) {
        try {
            return Optional.of(container.getBlobClient(blobName).getProperties());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure(blobName, e);
        } catch (RuntimeException e) {
            throw failure(blobName, e);
        }
    }

    private Optional<Entry> implicitDirectory(String key) {
        if (!Keys.isDirectory(key)) {
            return Optional.empty();
        }
        try {
            boolean any = container.listBlobs(new ListBlobsOptions().setPrefix(blobName(key)).setMaxResultsPerPage(1), null)
                    .iterator().hasNext();
            return any ? Optional.of(new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE)) : Optional.empty();
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        try {
            BlobClient blob = container.getBlobClient(blobName(key));
            // Pinned to the blob's ETag: a blob replaced while it is read fails the read instead of mixing versions.
            return blob.openInputStream(new BlobInputStreamOptions().setRange(new BlobRange(offset)).setBlockSize(READ_BLOCK));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new NotFoundException(key);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public Stored put(String key, long size, FileMetadata metadata, InputStream content) {
        write(key, size, metadata, content);
        return Stored.NOTHING; // No checksum or version of its own is kept here.
    }

    private void write(String key, long size, FileMetadata metadata, InputStream content) {
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a file key must not end with '/'");
        }
        if ((metadata.linkTarget().isPresent() || metadata.device().isPresent()) && size != 0) {
            throw new SizeMismatchException(key, 0, size); // a link or device is kept as an empty blob
        }
        ExactLengthInputStream exact = new ExactLengthInputStream(content, key, size);
        Map<String, String> blobMetadata = AzureMetadata.toBlobMetadata(metadata);
        BlockBlobClient blob = container.getBlobClient(blobName(key)).getBlockBlobClient();
        try {
            if (size <= settings.blockSize()) {
                byte[] body = readFully(exact, size);
                blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(body)).setMetadata(blobMetadata)
                        .setTier(tier()), null, Context.NONE);
            } else {
                putInBlocks(blob, size, blobMetadata, exact);
            }
        } catch (RuntimeException e) {
            // The client wraps what the content stream threw: the stream's own failure is the one to report.
            if (exact.failure() != null) {
                throw exact.failure();
            }
            throw failure(key, e);
        }
    }

    /** Stages the content block by block (each held in memory, so a failed request can be retried) and commits the list. */
    private void putInBlocks(BlockBlobClient blob, long size, Map<String, String> blobMetadata, ExactLengthInputStream exact) {
        long blockSize = Math.max(settings.blockSize(), (size + MAX_BLOCKS - 1) / MAX_BLOCKS);
        // An id per upload keeps the blocks of two uploads of one blob apart; all ids of a blob have one length.
        String upload = Long.toHexString(System.nanoTime()) + Long.toHexString(Thread.currentThread().threadId());
        List<String> ids = new ArrayList<>();
        for (long offset = 0, n = 0; offset < size; n++) {
            long length = Math.min(blockSize, size - offset);
            String id = Base64.getEncoder().encodeToString(String.format("%-24.24s%08d", upload, n).getBytes(StandardCharsets.US_ASCII));
            blob.stageBlock(id, BinaryData.fromBytes(readFully(exact.part(length), length)));
            ids.add(id);
            offset += length;
        }
        if (exact.failure() != null) {
            throw exact.failure();
        }
        blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids).setMetadata(blobMetadata).setTier(tier()),
                null, Context.NONE);
    }

    private static byte[] readFully(InputStream in, long length) {
        try {
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("short read");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private AccessTier tier() {
        return settings.accessTier().map(AccessTier::fromString).orElse(null);
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        putMarker(blobName(key), metadata);
    }

    private void putMarker(String blobName, FileMetadata metadata) {
        try {
            container.getBlobClient(blobName).getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(new byte[0])).setMetadata(AzureMetadata.toBlobMetadata(metadata)),
                    null, Context.NONE);
        } catch (RuntimeException e) {
            throw failure(blobName, e);
        }
    }

    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        try {
            container.getBlobClient(blobName(key)).deleteIfExists();
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    /** Blob metadata can be replaced in place; other tools' entries in it are kept. */
    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        if (Keys.ROOT.equals(key)) {
            if (!settings.prefix().isEmpty()) {
                putMarker(settings.prefix(), metadata);
            }
            return;
        }
        Keys.requireValid(key);
        if (Keys.isDirectory(key)) {
            makeDirectory(key, metadata);
            return;
        }
        BlobClient blob = container.getBlobClient(blobName(key));
        try {
            Map<String, String> merged = new HashMap<>(blob.getProperties().getMetadata());
            merged.putAll(AzureMetadata.toBlobMetadata(metadata));
            blob.setMetadata(merged);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new NotFoundException(key);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() {
        // The JDK HTTP client holds no resources that outlive its last request.
    }

    private String blobName(String key) {
        return settings.prefix() + key;
    }

    /** The service's answer as a location error with a stable code. */
    static LocationException failure(String key, RuntimeException e) {
        if (e instanceof LocationException le) {
            return le;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BlobStorageException blob) {
                String code = switch (blob.getStatusCode()) {
                    case 403 -> "ACCESS_DENIED";
                    case 404 -> "NOT_FOUND";
                    default -> "AZURE_" + (blob.getErrorCode() == null ? blob.getStatusCode() : blob.getErrorCode().toString());
                };
                return new LocationException(code, key + ": " + firstLine(blob.getMessage()), e);
            }
            if (cause instanceof SizeMismatchException mismatch) {
                return mismatch;
            }
        }
        return new LocationException("IO_ERROR", key + ": " + e.getMessage(), e);
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
