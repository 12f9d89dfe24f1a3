package dev.ferry.locations.s3;

import dev.ferry.locations.ArrayContent;
import dev.ferry.locations.Capability;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.ExactLengthInputStream;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SizeMismatchException;
import dev.ferry.locations.StoreVersion;
import dev.ferry.locations.Stored;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bucket prefix on S3 or an S3-compatible store. Objects become visible only when a put or a
 * multipart upload completes, so a failed write never shows; an unfinished multipart upload is
 * aborted. Directories are kept as empty marker objects whose key ends with {@code /}, carrying
 * the directory's metadata. The store's ETag of an object it keeps unencrypted or with its own
 * keys is an MD5 (or an MD5 of parts), which verification compares instead of reading back.
 */
public final class S3Location implements Location {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ,
            Capability.MULTIPART_WRITE, Capability.POSIX_METADATA, Capability.SET_METADATA, Capability.DEVICES,
            Capability.NATIVE_CHECKSUM));
    private static final Set<Capability> WITH_TAGS = Set.copyOf(with(CAPABILITIES, Capability.OBJECT_TAGS));
    static final int MAX_PARTS = 10_000;
    /**
     * Bodies up to this size are held in memory so the client can retry them (stores answer
     * 500 and 503 now and then); larger parts stream and fail the file instead. Memory stays
     * bounded by this times the number of files in flight.
     */
    static final long RETRYABLE_BODY_BYTES = 16L << 20;
    /**
     * Parts of one file on their way at once, each held in memory, while the next is read: a
     * large file then goes as fast as the store takes several requests, not one. With the part
     * being read, a file holds up to five parts of at most {@link #RETRYABLE_BODY_BYTES}.
     */
    static final int PARALLEL_PARTS = 4;
    private static final String META = "x-amz-meta-";
    private static final String CRC32C_HEADER = "x-amz-checksum-crc32c";

    private final S3Settings settings;
    /** The SDK: credentials, endpoint resolution, listing and tagging. */
    private final S3Client client;
    /** Every request made per file. */
    private final S3Http http;
    private final S3ObjectTags tags;
    private final String kind;
    /**
     * Whether the store checks and keeps the CRC32C a write carries: assumed until a write is
     * answered without it (an S3-compatible store that ignores the header), then MD5 ETags.
     */
    private volatile boolean keepsCrc32c = true;
    /** Arrays for parts of the configured size, reused from part to part. */
    private final PartBuffers partBuffers;

    public S3Location(S3Settings settings) {
        this(settings, S3LocationDriver.KIND);
    }

    /** @param kind the kind the location was made as: {@code s3} or {@code object-storage} */
    public S3Location(S3Settings settings, String kind) {
        this.settings = settings;
        this.kind = kind;
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        this.client = buildClient(settings, credentials);
        // The SDK knows where a bucket lives (regions, partitions, path or virtual-host style): ask it once.
        String probe = client.utilities().getUrl(b -> b.bucket(settings.bucket()).key("k")).toString();
        URI bucketUrl = URI.create(probe.substring(0, probe.length() - 1));
        S3ConnectionPools.Lease lease = S3ConnectionPools.forStore(bucketUrl, settings.serverCertificate());
        this.http = new S3Http(lease.pool(), lease.owned(), credentials, settings.region(), bucketUrl);
        this.tags = new S3ObjectTags(kind, client, settings.bucket(), settings.prefix());
        // Enough for two files' parts in flight; more files make their own and leave them to the collector.
        this.partBuffers = new PartBuffers((int) Math.min(settings.partSize(), RETRYABLE_BODY_BYTES), 2 * (PARALLEL_PARTS + 1));
    }

    private static Set<Capability> with(Set<Capability> base, Capability more) {
        EnumSet<Capability> all = EnumSet.copyOf(base);
        all.add(more);
        return all;
    }

    private static S3Client buildClient(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(sdkHttpClient(settings));
        settings.endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    private static ApacheHttpClient.Builder sdkHttpClient(S3Settings settings) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder().maxConnections(32).tcpKeepAlive(true);
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
     * Lists directory by directory, in key order, which is already the canonical order (see
     * {@link S3TreeWalk}). The listing carries sizes only; user metadata costs a request per
     * object, so callers {@link #stat} the entries whose metadata they need. Directories that
     * exist only as key prefixes are listed too, without metadata.
     */
    @Override
    public Stream<Entry> list() {
        return list(ListingScope.EVERYTHING);
    }

    @Override
    public Stream<Entry> list(ListingScope scope) {
        return S3TreeWalk.stream((prefix, continuation, pageSize) -> http.list(prefix, "/", pageSize, continuation), settings.prefix(),
                scope, S3TreeWalk.PAGE_SIZE);
    }

    @Override
    public Optional<Entry> stat(String key) {
        if (Keys.ROOT.equals(key)) {
            return rootEntry();
        }
        Keys.requireValid(key);
        Http1Connection.Headers head;
        try {
            // Asked for, a store gives the CRC32C it keeps, which the source computes for next to nothing.
            head = http.send(S3Http.Request.of("HEAD", objectKey(key)).header("x-amz-checksum-mode", "ENABLED"));
        } catch (S3HttpException e) {
            if (e.status() == 404) {
                return implicitDirectory(key);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
        FileMetadata metadata = S3Metadata.fromUserMetadata(userMetadata(head));
        if (metadata.mtime().isEmpty()) {
            Optional<Instant> lastModified = head.firstValue("last-modified").map(S3Location::httpDate);
            metadata = metadata.withMtime(lastModified);
        }
        boolean dir = Keys.isDirectory(key);
        EntryType type = dir ? EntryType.DIRECTORY : metadata.linkTarget().isPresent() ? EntryType.SYMLINK
                : metadata.device().isPresent() ? EntryType.OTHER : EntryType.FILE;
        long size = type == EntryType.FILE ? head.firstValueAsLong("content-length").orElse(0) : 0;
        Optional<ContentChecksum> checksum = Optional.empty();
        if (type == EntryType.FILE) {
            Optional<String> crc32c = head.firstValue(CRC32C_HEADER);
            checksum = crc32c.flatMap(c -> ContentChecksum.fromS3Crc32c(c, size, partSize(size)));
            if (checksum.isEmpty()) {
                checksum = checksum(head, size);
            }
        }
        Optional<StoreVersion> version = head.firstValue("etag").flatMap(etag -> head.firstValue("last-modified")
                .map(S3Location::httpDate).map(modified -> StoreVersion.listed(etag, modified)));
        return Optional.of(new Entry(key, type, size, metadata, checksum, version));
    }

    private static Map<String, String> userMetadata(Http1Connection.Headers headers) {
        Map<String, String> user = new HashMap<>();
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(META) && !values.isEmpty()) {
                user.put(lower.substring(META.length()), S3Metadata.fromHeaderValue(values.get(0)));
            }
        });
        return user;
    }

    private static Instant httpDate(String value) {
        ParsedDate last = lastDate;
        if (last.text.equals(value)) {
            return last.instant;
        }
        try {
            Instant instant = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            lastDate = new ParsedDate(value, instant);
            return instant;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The last HTTP date parsed. Every write's answer carries the store's Date, the same one for a
     * second of answers, and parsing it each time was 5 % of the control plane's samples on small
     * files.
     */
    private record ParsedDate(String text, Instant instant) {
    }

    private static volatile ParsedDate lastDate = new ParsedDate("", Instant.EPOCH);

    /** A prefix's metadata lives on its marker object; a bucket's root has nowhere to keep any. */
    private Optional<Entry> rootEntry() {
        if (settings.prefix().isEmpty()) {
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
        }
        try {
            Http1Connection.Headers head = http.send(S3Http.Request.of("HEAD", settings.prefix()));
            return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, S3Metadata.fromUserMetadata(userMetadata(head))));
        } catch (S3HttpException e) {
            if (e.status() == 404) {
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, FileMetadata.NONE));
            }
            throw failure("/", e);
        } catch (RuntimeException e) {
            throw failure("/", e);
        }
    }

    private Optional<Entry> implicitDirectory(String key) {
        if (!Keys.isDirectory(key)) {
            return Optional.empty();
        }
        try {
            boolean any = client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(objectKey(key)).maxKeys(1)).keyCount() > 0;
            return any ? Optional.of(new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE)) : Optional.empty();
        } catch (SdkException e) {
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        S3Http.Request get = S3Http.Request.of("GET", objectKey(key));
        if (offset > 0) {
            get.header("range", "bytes=" + offset + "-");
        }
        try {
            return http.open(get).body();
        } catch (S3HttpException e) {
            if (e.status() == 404) {
                throw new NotFoundException(key);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    /**
     * A CRC32C for what one request writes, the composite CRC32C of parts for a multipart upload:
     * the write carries it, so the store checks what it received and keeps it, and computing it at
     * the source costs next to nothing (MD5 costs the agent 1.7 CPU seconds per GB). The request
     * must know it before its body is sent, so bodies too large to hold in memory, and stores that
     * do not keep it, get MD5s, which S3 gives as ETags.
     */
    @Override
    public Optional<ChecksumAlgorithm> storeChecksum(long size) {
        boolean multipart = size > settings.partSize();
        long partSize = partSize(size);
        if (sendsCrc32c(multipart ? partSize : size)) {
            return Optional.of(multipart ? ChecksumAlgorithm.crc32cOfParts(partSize) : ChecksumAlgorithm.CRC32C);
        }
        return Optional.of(multipart ? ChecksumAlgorithm.md5OfParts(partSize) : ChecksumAlgorithm.MD5);
    }

    private boolean sendsCrc32c(long bodyLength) {
        return keepsCrc32c && bodyLength <= RETRYABLE_BODY_BYTES;
    }

    /**
     * What one request sends: its body, and for a body read into memory, the CRC32C of its bytes
     * in S3's form (base64, big-endian), taken a slice at a time as they arrived, while they were
     * still in the processor's cache: over a whole 16 MiB part afterwards it cost the control
     * plane 6 % of its CPU on large files.
     */
    private record Content(S3Http.Body body, Optional<String> crc32c) {
    }

    /**
     * Room kept before a body read into a new array, for the request's head: a PUT's head with
     * the metadata headers, a long key and tags is 1-2 KiB; a larger one goes in a write of its own.
     */
    private static final int HEAD_ROOM = 4096;

    /** Bytes read between two CRC32C updates: well within a core's cache. */
    private static final int CRC_SLICE = 128 * 1024;

    /**
     * What the store keeps of a write that carried a CRC32C: the one it answers with, or, from a
     * store that answers without (and so ignored it), the ETag, and no CRC32C for later writes.
     */
    private Optional<ContentChecksum> storedCrc32c(Optional<String> crc32c, Http1Connection.Headers answer, String etag, long size) {
        if (crc32c.isPresent()) {
            return ContentChecksum.fromS3Crc32c(crc32c.get(), size, partSize(size));
        }
        keepsCrc32c = false;
        return checksum(answer, etag, size);
    }

    /**
     * What an answer's ETag says of the content: nothing when the object is encrypted with a KMS
     * key or a customer's key, whose ETags are not digests of the content.
     */
    private Optional<ContentChecksum> checksum(Http1Connection.Headers answer, long size) {
        return checksum(answer, answer.firstValue("etag").orElse(null), size);
    }

    private Optional<ContentChecksum> checksum(Http1Connection.Headers answer, String etag, long size) {
        Optional<String> sse = answer.firstValue("x-amz-server-side-encryption");
        if (sse.isPresent() && !sse.get().equals("AES256") || answer.firstValue("x-amz-server-side-encryption-customer-algorithm").isPresent()) {
            return Optional.empty();
        }
        return ContentChecksum.fromS3ETag(etag, size, partSize(size));
    }

    private long partSize(long size) {
        return Math.max(settings.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    @Override
    public Stored put(String key, long size, FileMetadata metadata, InputStream content) {
        long started = System.nanoTime();
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a file key must not end with '/'");
        }
        if ((metadata.linkTarget().isPresent() || metadata.device().isPresent()) && size != 0) {
            throw new SizeMismatchException(key, 0, size); // a link or device is kept as an empty object
        }
        ExactLengthInputStream exact = new ExactLengthInputStream(content, key, size);
        // Tags go in the same request as the object, so it never shows without them.
        Optional<String> tagging = tags.forNewObject(key, metadata.objectTags());
        try {
            if (size > settings.partSize()) {
                return putMultipart(key, size, metadata, tagging, exact, started);
            }
            Content body = content instanceof ArrayContent whole && whole.untouched() && whole.length() == size
                    && whole.offset() >= HEAD_ROOM && whole.crc32c().isPresent() && size <= RETRYABLE_BODY_BYTES
                    ? content(whole) : content(exact, size, null);
            S3Http.Request put = newObject(S3Http.Request.of("PUT", objectKey(key)), metadata, tagging).body(body.body());
            boolean crc32c = body.crc32c().isPresent() && sendsCrc32c(size);
            if (crc32c) {
                put.header(CRC32C_HEADER, body.crc32c().get());
            }
            Http1Connection.Headers answer = http.send(put);
            String etag = answer.firstValue("etag").orElse(null);
            return new Stored(crc32c ? storedCrc32c(answer.firstValue(CRC32C_HEADER), answer, etag, size) : checksum(answer, size),
                    written(etag, answer, started));
        } catch (RuntimeException e) {
            // The client wraps what the content stream threw: the stream's own failure is the one to report.
            if (exact.failure() != null) {
                throw exact.failure();
            }
            if (e instanceof LocationException le) {
                throw le;
            }
            throw failure(key, e);
        }
    }

    /**
     * The version a write made: its ETag, dated no earlier than the write began and no later than
     * the store's answer. The answer's Date has whole seconds, so the span takes a second more on
     * each side; a multipart upload is dated when it was created, which is inside it too.
     */
    private static Optional<StoreVersion> written(String etag, Http1Connection.Headers answer, long startedNanos) {
        Optional<Instant> date = answer.firstValue("date").map(S3Location::httpDate);
        if (etag == null || date.isEmpty()) {
            return Optional.empty();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        return Optional.of(new StoreVersion(etag, date.get().minus(took).minusSeconds(1), date.get().plusSeconds(1)));
    }

    /** The headers that make an object what it is: its metadata, storage class and tags. */
    private S3Http.Request newObject(S3Http.Request request, FileMetadata metadata, Optional<String> tagging) {
        userMetadataHeaders(request, metadata);
        settings.storageClass().ifPresent(c -> request.header("x-amz-storage-class", c));
        tagging.ifPresent(t -> request.header("x-amz-tagging", t));
        return request;
    }

    private static S3Http.Request userMetadataHeaders(S3Http.Request request, FileMetadata metadata) {
        S3Metadata.toUserMetadata(metadata).forEach((name, value) -> request.header(META + name, S3Metadata.toHeaderValue(value)));
        return request;
    }

    private Stored putMultipart(String key, long size, FileMetadata metadata, Optional<String> tagging,
            ExactLengthInputStream exact, long started) {
        String objectKey = objectKey(key);
        long partSize = partSize(size);
        boolean crc32c = sendsCrc32c(partSize);
        S3Http.Request create = newObject(S3Http.Request.of("POST", objectKey).query("uploads", ""), metadata, tagging);
        if (crc32c) {
            create.header("x-amz-checksum-algorithm", "CRC32C");
        }
        String created = http.sendForXml(create).body();
        String uploadId = XmlValues.first(created, "UploadId").orElseThrow(
                () -> new LocationException("S3_PROTOCOL", key + ": the store started a multipart upload without naming it"));
        boolean completed = false;
        try {
            StringBuilder parts = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
            List<UploadedPart> uploaded = uploadParts(key, objectKey, uploadId, size, partSize, crc32c, exact);
            // Parts' CRC32Cs go in the list only from a store that answered with them: one that ignored them may not parse them.
            boolean keptCrc32c = crc32c && uploaded.stream().allMatch(p -> p.crc32c().isPresent());
            for (int i = 0; i < uploaded.size(); i++) {
                parts.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>").append(XmlValues.escape(uploaded.get(i).etag()))
                        .append("</ETag>");
                if (keptCrc32c) {
                    parts.append("<ChecksumCRC32C>").append(XmlValues.escape(uploaded.get(i).crc32c().get())).append("</ChecksumCRC32C>");
                }
                parts.append("</Part>");
            }
            if (exact.failure() != null) {
                throw exact.failure();
            }
            parts.append("</CompleteMultipartUpload>");
            S3Http.Text done = http.sendForXml(S3Http.Request.of("POST", objectKey).query("uploadId", uploadId)
                    .body(S3Http.Body.of(parts.toString().getBytes(StandardCharsets.UTF_8))));
            completed = true;
            String etag = XmlValues.first(done.body(), "ETag").orElse(null);
            return new Stored(crc32c ? storedCrc32c(keptCrc32c ? XmlValues.first(done.body(), "ChecksumCRC32C") : Optional.empty(),
                    done.headers(), etag, size) : checksum(done.headers(), etag, size), written(etag, done.headers(), started));
        } finally {
            if (!completed) {
                try {
                    http.send(S3Http.Request.of("DELETE", objectKey).query("uploadId", uploadId));
                } catch (RuntimeException ignored) {
                    // The store expires abandoned uploads; the original failure is what matters.
                }
            }
        }
    }

    /** A part the store took: its ETag, and the CRC32C it kept if it was sent one and answered with it. */
    private record UploadedPart(String etag, Optional<String> crc32c) {
    }

    /**
     * Sends the parts in order of reading: while up to {@link #PARALLEL_PARTS} parts are on their
     * way, the next is read. Parts too large to hold in memory stream one at a time instead.
     *
     * @param crc32c whether each part carries its CRC32C (parts in memory only)
     * @return the parts, in order
     */
    private List<UploadedPart> uploadParts(String key, String objectKey, String uploadId, long size, long partSize, boolean crc32c,
            ExactLengthInputStream exact) {
        int count = (int) ((size + partSize - 1) / partSize);
        UploadedPart[] parts = new UploadedPart[count];
        boolean inMemory = partSize <= RETRYABLE_BODY_BYTES;
        boolean pooled = partSize == partBuffers.size();
        Semaphore inFlight = new Semaphore(inMemory ? PARALLEL_PARTS : 1);
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        try (ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            long offset = 0;
            for (int i = 0; i < count; i++) {
                inFlight.acquireUninterruptibly();
                if (failed.get() != null) {
                    break;
                }
                long length = Math.min(partSize, size - offset);
                offset += length;
                byte[] buffer = pooled ? partBuffers.take() : null;
                Content content;
                try {
                    content = content(exact.part(length), length, buffer);
                } catch (RuntimeException e) {
                    failed.compareAndSet(null, e);
                    break;
                }
                int number = i + 1;
                Runnable upload = () -> {
                    try {
                        S3Http.Request put = S3Http.Request.of("PUT", objectKey).query("partNumber", Integer.toString(number))
                                .query("uploadId", uploadId).body(content.body());
                        if (crc32c) {
                            put.header(CRC32C_HEADER, content.crc32c().orElseThrow());
                        }
                        Http1Connection.Headers answer = http.send(put);
                        String etag = answer.firstValue("etag").orElseThrow(
                                () -> new LocationException("S3_PROTOCOL", key + ": the store took a part without giving its ETag"));
                        parts[number - 1] = new UploadedPart(etag, crc32c ? answer.firstValue(CRC32C_HEADER) : Optional.empty());
                        // Only after a success: an answer that came before the whole body was sent
                        // (an early error) may leave the client still reading the array.
                        if (buffer != null) {
                            partBuffers.give(buffer);
                        }
                    } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                    } finally {
                        inFlight.release();
                    }
                };
                if (inMemory) {
                    uploads.execute(upload);
                } else {
                    upload.run();
                }
            }
        } // Waits for every part on its way.
        if (failed.get() != null) {
            throw failed.get();
        }
        return List.of(parts);
    }

    /**
     * A body already whole in memory, with room for the head before it and its CRC32C known (a file
     * received in one chunk): sent from its own array, with the CRC32C it was checked against when
     * it arrived.
     */
    private static Content content(ArrayContent whole) {
        String crc32c = Base64.getEncoder().encodeToString(ContentDigest.crc32cBytes(whole.crc32c().getAsInt()));
        return new Content(S3Http.Body.after(whole.array(), whole.offset(), whole.length()), Optional.of(crc32c));
    }

    /**
     * The body of one request: up to {@link #RETRYABLE_BODY_BYTES} read into {@code buffer} (or an
     * array of the body's size when null) with its CRC32C, a stream beyond that.
     */
    private static Content content(InputStream in, long length, byte[] buffer) {
        if (length > RETRYABLE_BODY_BYTES) {
            return new Content(S3Http.Body.streamed(in, length), Optional.empty());
        }
        // Into one array: readNBytes(int) would read 16 KiB at a time and copy them all again. A
        // new array keeps room for the request's head before the body, which then leaves with it
        // in one write, not copied again (a part's reused buffer is large enough to go alone).
        int room = buffer != null ? 0 : HEAD_ROOM;
        byte[] bytes = buffer != null ? buffer : new byte[room + (int) length];
        CRC32C crc = new CRC32C();
        int filled = 0;
        try {
            while (filled < length) {
                int read = in.readNBytes(bytes, room + filled, (int) Math.min(CRC_SLICE, length - filled));
                if (read == 0) {
                    break; // The stream ended early; what it held is sent, and the store's size check fails it.
                }
                crc.update(bytes, room + filled, read);
                filled += read;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String crc32c = Base64.getEncoder().encodeToString(ContentDigest.crc32cBytes(crc));
        return new Content(S3Http.Body.after(bytes, room, filled), Optional.of(crc32c));
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        try {
            http.send(userMetadataHeaders(S3Http.Request.of("PUT", objectKey(key)), metadata).body(S3Http.Body.of(new byte[0])));
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        try {
            http.send(S3Http.Request.of("DELETE", objectKey(key)));
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        if (Keys.ROOT.equals(key)) {
            if (!settings.prefix().isEmpty()) {
                try {
                    http.send(userMetadataHeaders(S3Http.Request.of("PUT", settings.prefix()), metadata).body(S3Http.Body.of(new byte[0])));
                } catch (RuntimeException e) {
                    throw failure("/", e);
                }
            }
            return;
        }
        Keys.requireValid(key);
        if (Keys.isDirectory(key)) {
            makeDirectory(key, metadata);
            return;
        }
        try {
            Http1Connection.Headers head = http.send(S3Http.Request.of("HEAD", objectKey(key)));
            Map<String, String> current = userMetadata(head);
            Map<String, String> merged = new HashMap<>(current);
            merged.putAll(S3Metadata.toUserMetadata(metadata));
            if (!merged.equals(current)) {
                // A copy onto itself is the only way to change user metadata; it keeps the tags.
                S3Http.Request copy = S3Http.Request.of("PUT", objectKey(key))
                        .header("x-amz-copy-source", "/" + settings.bucket() + "/" + SigV4Signer.uriEncode(objectKey(key), true))
                        .header("x-amz-metadata-directive", "REPLACE");
                merged.forEach((name, value) -> copy.header(META + name, S3Metadata.toHeaderValue(value)));
                settings.storageClass().ifPresent(c -> copy.header("x-amz-storage-class", c));
                http.sendForXml(copy);
            }
            metadata.objectTags().ifPresent(t -> tags.write(key, objectKey(key), t));
        } catch (S3HttpException e) {
            if (e.status() == 404) {
                throw new NotFoundException(key);
            }
            throw failure(key, e);
        } catch (LocationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() {
        http.close();
        client.close();
    }

    private String objectKey(String key) {
        return settings.prefix() + key;
    }

    /** A failed request as a location error: the store's code where it gave one. */
    static LocationException failure(String key, RuntimeException e) {
        if (e instanceof LocationException le) {
            return le;
        }
        if (e instanceof S3HttpException s3) {
            String code = switch (s3.status()) {
                case 403 -> "ACCESS_DENIED";
                case 404 -> "NOT_FOUND";
                default -> "S3_" + s3.code();
            };
            return new LocationException(code, key + ": " + s3.getMessage(), e);
        }
        if (e instanceof S3Exception s3) {
            String code = switch (s3.statusCode()) {
                case 403 -> "ACCESS_DENIED";
                case 404 -> "NOT_FOUND";
                default -> "S3_" + (s3.awsErrorDetails() == null ? s3.statusCode() : s3.awsErrorDetails().errorCode());
            };
            String detail = s3.awsErrorDetails() == null ? e.getMessage() : s3.awsErrorDetails().errorMessage();
            return new LocationException(code, key + ": " + detail, e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SizeMismatchException mismatch) {
                return mismatch;
            }
            if (cause instanceof javax.net.ssl.SSLHandshakeException || cause instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return new LocationException("TLS_UNTRUSTED", key + ": the server's certificate is not trusted (a private CA "
                        + "goes in serverCertificate, as PEM): " + cause.getMessage(), e);
            }
        }
        return new LocationException("IO_ERROR", key + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
    }
}
