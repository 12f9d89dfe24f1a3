package dev.ferry.locations.s3;

import dev.ferry.locations.Capability;
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
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * A bucket prefix on S3 or an S3-compatible store. Objects become visible only when a put or a
 * multipart upload completes, so a failed write never shows; an unfinished multipart upload is
 * aborted. Directories are kept as empty marker objects whose key ends with {@code /}, carrying
 * the directory's metadata.
 */
public final class S3Location implements Location {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ,
            Capability.MULTIPART_WRITE, Capability.POSIX_METADATA, Capability.SET_METADATA, Capability.DEVICES));
    private static final Set<Capability> WITH_TAGS = Set.copyOf(with(CAPABILITIES, Capability.OBJECT_TAGS));
    static final int MAX_PARTS = 10_000;
    /**
     * Bodies up to this size are held in memory so the client can retry them (stores answer
     * 500 and 503 now and then); larger parts stream and fail the file instead. Memory stays
     * bounded by this times the number of files in flight.
     */
    static final long RETRYABLE_BODY_BYTES = 16L << 20;

    private final S3Settings settings;
    private final S3Client client;
    private final S3ObjectTags tags;
    private final String kind;

    public S3Location(S3Settings settings) {
        this(settings, S3LocationDriver.KIND);
    }

    /** @param kind the kind the location was made as: {@code s3} or {@code object-storage} */
    public S3Location(S3Settings settings, String kind) {
        this.settings = settings;
        this.kind = kind;
        this.client = buildClient(settings);
        this.tags = new S3ObjectTags(kind, client, settings.bucket(), settings.prefix());
    }

    private static Set<Capability> with(Set<Capability> base, Capability more) {
        EnumSet<Capability> all = EnumSet.copyOf(base);
        all.add(more);
        return all;
    }

    static S3Client buildClient(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(httpClient(settings));
        settings.endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    private static ApacheHttpClient.Builder httpClient(S3Settings settings) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder().maxConnections(128).tcpKeepAlive(true);
        settings.serverCertificate().ifPresent(pem -> {
            javax.net.ssl.TrustManager[] trust = TrustedCertificates.trustManagers(pem);
            http.tlsTrustManagersProvider(() -> trust);
        });
        return http;
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** OBJECT_TAGS only where the store implements tagging, which costs one request to learn, once. */
    @Override
    public Set<Capability> capabilities() {
        return tags.supported() ? WITH_TAGS : CAPABILITIES;
    }

    @Override
    public Map<String, String> objectTags(String key) {
        return tags.read(key, objectKey(Keys.requireValid(key)));
    }

    /**
     * Lists by key, which is already the canonical order. The listing carries sizes only; user
     * metadata costs a request per object, so callers {@link #stat} the entries whose metadata they
     * need. Directories that exist only as key prefixes are listed too, without metadata.
     */
    @Override
    public Stream<Entry> list() {
        try {
            return S3Listing.stream(client, settings.bucket(), settings.prefix());
        } catch (SdkException e) {
            throw failure("/", e);
        }
    }

    @Override
    public Optional<Entry> stat(String key) {
        if (Keys.ROOT.equals(key)) {
            return rootEntry();
        }
        Keys.requireValid(key);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(objectKey(key)));
            FileMetadata metadata = S3Metadata.fromUserMetadata(head.metadata());
            if (metadata.mtime().isEmpty() && head.lastModified() != null) {
                metadata = metadata.withMtime(Optional.of(head.lastModified()));
            }
            boolean dir = Keys.isDirectory(key);
            EntryType type = dir ? EntryType.DIRECTORY : metadata.linkTarget().isPresent() ? EntryType.SYMLINK
                    : metadata.device().isPresent() ? EntryType.OTHER : EntryType.FILE;
            return Optional.of(new Entry(key, type, type == EntryType.FILE ? head.contentLength() : 0, metadata));
        } catch (NoSuchKeyException e) {
            return implicitDirectory(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return implicitDirectory(key);
            }
            throw failure(key, e);
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    /** A prefix's metadata lives on its marker object; a bucket's root has nowhere to keep any. */
    private Optional<Entry> rootEntry() {
        if (settings.prefix().isEmpty()) {
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
        }
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(settings.prefix()));
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, S3Metadata.fromUserMetadata(head.metadata())));
        } catch (NoSuchKeyException e) {
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
            }
            throw failure("/", e);
        }
    }

    private Optional<Entry> implicitDirectory(String key) {
        if (!Keys.isDirectory(key)) {
            return Optional.empty();
        }
        boolean any = client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(objectKey(key)).maxKeys(1)).keyCount() > 0;
        return any ? Optional.of(new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE)) : Optional.empty();
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        try {
            return client.getObject(b -> {
                b.bucket(settings.bucket()).key(objectKey(key));
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            });
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void put(String key, long size, FileMetadata metadata, InputStream content) {
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a file key must not end with '/'");
        }
        if ((metadata.linkTarget().isPresent() || metadata.device().isPresent()) && size != 0) {
            throw new SizeMismatchException(key, 0, size); // a link or device is kept as an empty object
        }
        ExactLengthInputStream exact = new ExactLengthInputStream(content, key, size);
        Map<String, String> user = S3Metadata.toUserMetadata(metadata);
        // Tags go in the same request as the object, so it never shows without them.
        Tagging tagging = tags.forNewObject(key, metadata.objectTags()).orElse(null);
        try {
            if (size > settings.partSize()) {
                putMultipart(key, size, user, tagging, exact);
            } else {
                client.putObject(b -> {
                    b.bucket(settings.bucket()).key(objectKey(key)).metadata(user).contentLength(size);
                    settings.storageClass().ifPresent(b::storageClass);
                    if (tagging != null) {
                        b.tagging(tagging);
                    }
                }, body(exact, size));
            }
        } catch (RuntimeException e) {
            // The client wraps what the content stream threw, or fails its retry of a stream it
            // cannot rewind: the stream's own failure is the one to report.
            if (exact.failure() != null) {
                throw exact.failure();
            }
            if (e instanceof SdkException sdk) {
                throw failure(key, sdk);
            }
            if (e instanceof LocationException le) {
                throw le;
            }
            throw new LocationException("S3_PUT_FAILED", key + ": " + e, e);
        }
    }

    private void putMultipart(String key, long size, Map<String, String> user, Tagging tagging, ExactLengthInputStream exact) {
        String objectKey = objectKey(key);
        long partSize = Math.max(settings.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = client.createMultipartUpload(b -> {
            b.bucket(settings.bucket()).key(objectKey).metadata(user);
            settings.storageClass().ifPresent(b::storageClass);
            if (tagging != null) {
                b.tagging(tagging);
            }
        }).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < size; number++) {
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                String etag = client.uploadPart(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length),
                        body(exact.part(length), length)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                offset += length;
            }
            if (exact.failure() != null) {
                throw exact.failure();
            }
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            completed = true;
        } finally {
            if (!completed) {
                try {
                    client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId));
                } catch (SdkException ignored) {
                    // The store expires abandoned uploads; the original failure is what matters.
                }
            }
        }
    }

    private static RequestBody body(InputStream in, long length) {
        if (length > RETRYABLE_BODY_BYTES) {
            return RequestBody.fromInputStream(in, length);
        }
        try {
            return RequestBody.fromBytes(in.readNBytes((int) length));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        try {
            client.putObject(b -> b.bucket(settings.bucket()).key(objectKey(key)).metadata(S3Metadata.toUserMetadata(metadata)),
                    RequestBody.empty());
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(objectKey(key)));
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        if (Keys.ROOT.equals(key)) {
            if (!settings.prefix().isEmpty()) {
                client.putObject(b -> b.bucket(settings.bucket()).key(settings.prefix()).metadata(S3Metadata.toUserMetadata(metadata)),
                        RequestBody.empty());
            }
            return;
        }
        Keys.requireValid(key);
        if (Keys.isDirectory(key)) {
            makeDirectory(key, metadata);
            return;
        }
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(objectKey(key)));
            Map<String, String> merged = new HashMap<>(head.metadata());
            merged.putAll(S3Metadata.toUserMetadata(metadata));
            if (!merged.equals(head.metadata())) {
                // A copy onto itself is the only way to change user metadata; it keeps the tags.
                client.copyObject(b -> b.sourceBucket(settings.bucket()).sourceKey(objectKey(key))
                        .destinationBucket(settings.bucket()).destinationKey(objectKey(key))
                        .metadataDirective(MetadataDirective.REPLACE).metadata(merged));
            }
            metadata.objectTags().ifPresent(t -> tags.write(key, objectKey(key), t));
        } catch (NoSuchKeyException e) {
            throw new NotFoundException(key);
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private String objectKey(String key) {
        return settings.prefix() + key;
    }

    static LocationException failure(String key, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = switch (s3.statusCode()) {
                case 403 -> "ACCESS_DENIED";
                case 404 -> "NOT_FOUND";
                default -> "S3_" + (s3.awsErrorDetails() == null ? s3.statusCode() : s3.awsErrorDetails().errorCode());
            };
            String detail = s3.awsErrorDetails() == null ? e.getMessage() : s3.awsErrorDetails().errorMessage();
            return new LocationException(code, key + ": " + detail, e);
        }
        if (e.getCause() instanceof SizeMismatchException mismatch) {
            return mismatch;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.net.ssl.SSLHandshakeException || cause instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return new LocationException("TLS_UNTRUSTED", key + ": the server's certificate is not trusted (a private CA "
                        + "goes in serverCertificate, as PEM): " + cause.getMessage(), e);
            }
        }
        return new LocationException("IO_ERROR", key + ": " + e.getMessage(), e);
    }
}
