package dev.ferry.locations.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The requests an S3 location makes for every file (put, get, head, copy, delete, multipart), on
 * Ferry's own HTTP/1.1 connections ({@link Http1Pool}) with its own SigV4 signing. The AWS SDK's
 * request pipeline cost about three times the CPU per small object (about 1 ms against 0.3 ms per
 * 32 KiB PUT, warm, on the bench machine), and the JDK's asynchronous HTTP client, used next, most
 * of the rest: on a small-file transfer the requests are most of the control plane's work. The SDK
 * still resolves credentials, endpoints and the rarer calls (listing, tagging).
 *
 * <p>Requests whose body is in memory, or that have none, are tried again on a dropped connection
 * or an answer that says to (5xx, SlowDown, RequestTimeout), with backoff; a streamed body is not,
 * and its failure is the caller's.
 *
 * <p>Threading: safe for many threads; each call blocks its (virtual) thread.
 */
final class S3Http implements AutoCloseable {
    static final int ATTEMPTS = 3;
    /** Until an answer's headers arrive; an upload gets this plus a second per MiB of its body. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    /** The most of an XML answer or an error's body that is read. */
    private static final int MAX_XML = 64 * 1024;
    /** The longest listing page read: 1,000 keys of S3's longest (1,024 bytes, URL-encoded) and their fields. */
    private static final int MAX_LISTING = 16 << 20;
    /** An answer body up to this is read to its end to keep its connection; a longer one closes it. */
    private static final int MAX_DISCARDED = 64 * 1024;
    private static final String USER_AGENT = "ferry";

    private final Http1Pool pool;
    private final boolean ownsPool;
    private final AwsCredentialsProvider credentials;
    private final SigV4Signer signer;
    /** The bucket's URL, ending with {@code /}: objects are this plus their encoded key. */
    private final URI bucketUrl;
    private final String host;
    private final String basePath;
    private final long backoff;

    /** @param ownsPool whether closing this closes {@code pool}; a shared one stays open */
    S3Http(Http1Pool pool, boolean ownsPool, AwsCredentialsProvider credentials, String region, URI bucketUrl) {
        this(pool, ownsPool, credentials, region, bucketUrl, Duration.ofMillis(100));
    }

    /** @param backoff the wait before the second attempt, doubled before each next (five times that after SlowDown) */
    S3Http(Http1Pool pool, boolean ownsPool, AwsCredentialsProvider credentials, String region, URI bucketUrl, Duration backoff) {
        this.backoff = backoff.toMillis();
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.credentials = credentials;
        this.signer = new SigV4Signer(region);
        String url = bucketUrl.toString();
        this.bucketUrl = URI.create(url.endsWith("/") ? url : url + "/");
        this.host = hostHeader(this.bucketUrl);
        this.basePath = this.bucketUrl.getRawPath();
    }

    /** The Host header, which the signature names: the port only when it is not the scheme's own. */
    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || "https".equals(uri.getScheme()) && port == 443 || "http".equals(uri.getScheme()) && port == 80;
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** What to send: the object key (empty for the bucket itself), query, headers and body. */
    record Request(String method, String objectKey, SortedMap<String, String> query, Map<String, String> headers, Body body) {
        static Request of(String method, String objectKey) {
            return new Request(method, objectKey, new TreeMap<>(), new TreeMap<>(), Body.NONE);
        }

        Request query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Request header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        Request body(Body content) {
            return new Request(method, objectKey, query, headers, content);
        }
    }

    /**
     * A request body: bytes in memory ({@code length} of {@code bytes} from {@code offset}), which a
     * retry can send again, or a stream, which it cannot.
     */
    record Body(byte[] bytes, int offset, Supplier<InputStream> stream, long length) {
        static final Body NONE = new Body(null, 0, null, 0);

        static Body of(byte[] bytes) {
            return new Body(bytes, 0, null, bytes.length);
        }

        /** The first {@code length} bytes of {@code bytes}, which may be a larger, reused buffer. */
        static Body of(byte[] bytes, int length) {
            return after(bytes, 0, length);
        }

        /**
         * {@code length} bytes of {@code bytes} from {@code offset}. The bytes before {@code offset}
         * are the connection's to overwrite: a request's head that fits there is sent from there,
         * in one write with the body.
         */
        static Body after(byte[] bytes, int offset, int length) {
            if (offset < 0 || length < 0 || (long) offset + length > bytes.length) {
                throw new IllegalArgumentException("a body of " + length + " bytes from " + offset + " in an array of " + bytes.length);
            }
            return new Body(bytes, offset, null, length);
        }

        static Body streamed(InputStream in, long length) {
            return new Body(null, 0, () -> in, length);
        }

        boolean replayable() {
            return stream == null;
        }
    }

    /** The headers of an answer whose body, if any, is discarded (PUT, HEAD, DELETE). */
    Http1Connection.Headers send(Request request) {
        Http1Connection.Answer answer = execute(request);
        try {
            answer.body().discard(MAX_DISCARDED);
        } catch (IOException e) {
            // The answer was had; the connection is closed rather than reused.
        }
        return answer.headers();
    }

    /** An answer whose body is a small XML document (multipart calls, COPY). */
    Text sendForXml(Request request) {
        Http1Connection.Answer answer = execute(request);
        String body;
        try (InputStream in = answer.body()) {
            body = text(in, MAX_XML, "the store's answer to " + request.method());
        } catch (IOException e) {
            throw unchecked(e);
        }
        // CopyObject and CompleteMultipartUpload can answer 200 and report a failure in the body.
        if ("Error".equals(XmlValues.root(body))) {
            throw error(500, body);
        }
        return new Text(answer.headers(), body);
    }

    /**
     * One page of the objects under {@code prefix} (ListObjectsV2), grouped by {@code delimiter}
     * when not null. An answer cut short is asked for again, as the request changes nothing.
     */
    S3ListPage list(String prefix, String delimiter, int maxKeys, String continuation) {
        Request request = Request.of("GET", "").query("list-type", "2").query("prefix", prefix).query("encoding-type", "url")
                .query("max-keys", Integer.toString(maxKeys));
        if (delimiter != null) {
            request.query("delimiter", delimiter);
        }
        if (continuation != null) {
            request.query("continuation-token", continuation);
        }
        for (int attempt = 1; ; attempt++) {
            Http1Connection.Answer answer = execute(request);
            try (InputStream in = answer.body()) {
                return S3ListPage.parse(text(in, MAX_LISTING, "a listing page"));
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw unchecked(e);
                }
                backOff(attempt, false);
            }
        }
    }

    /** A body as text; one longer than {@code max} bytes is refused rather than read on. */
    private static String text(InputStream in, int max, String what) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new UncheckedIOException(new IOException(what + " is longer than " + max + " bytes"));
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }

    /** An answer's headers and its body as text. */
    record Text(Http1Connection.Headers headers, String body) {
    }

    /** An answer whose body the caller reads and closes (GET). */
    Http1Connection.Answer open(Request request) {
        return execute(request);
    }

    /** A successful answer, its body not read yet; errors and dropped connections tried again where they may be. */
    private Http1Connection.Answer execute(Request request) {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt == ATTEMPTS || !request.body().replayable();
            Http1Connection.Answer answer;
            try {
                answer = exchange(request);
            } catch (IOException e) {
                if (last || e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw unchecked(e);
                }
                backOff(attempt, false);
                continue;
            }
            if (answer.status() / 100 == 2) {
                return answer;
            }
            S3HttpException failure = error(answer);
            if (last || !failure.retryable()) {
                throw failure;
            }
            backOff(attempt, failure.status() == 503 || failure.status() == 429);
        }
    }

    /**
     * One request on a pooled connection. One the store had closed while it was idle fails before
     * any answer arrives; the request then goes once more on a new connection, as it never reached
     * the store. A streamed body, which cannot go twice, always takes a new connection.
     */
    private Http1Connection.Answer exchange(Request request) throws IOException {
        byte[] head = head(request);
        Body body = request.body();
        boolean headRequest = request.method().equals("HEAD");
        int timeout = (int) Math.min(Integer.MAX_VALUE, ANSWER_TIMEOUT.plusSeconds(body.length() >> 20).toMillis());
        Http1Connection connection = pool.acquire(!body.replayable());
        try {
            return connection.exchange(head, body.bytes(), body.offset(), body.stream() == null ? null : body.stream().get(), body.length(),
                    headRequest, timeout);
        } catch (IOException e) {
            connection.close();
            if (!connection.failedStale()) {
                throw e;
            }
        }
        Http1Connection fresh = pool.acquire(true);
        try {
            return fresh.exchange(head, body.bytes(), body.offset(), null, body.length(), headRequest, timeout);
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    /** The request line and headers, signed, ending with the empty line. */
    private byte[] head(Request request) {
        String path = basePath + SigV4Signer.uriEncode(request.objectKey(), true);
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> q : request.query().entrySet()) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(SigV4Signer.uriEncode(q.getKey(), false)).append('=').append(SigV4Signer.uriEncode(q.getValue(), false));
        }
        AwsCredentials resolved = credentials.resolveCredentials();
        String amzDate = SigV4Signer.timestamp(Instant.now());
        SortedMap<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", SigV4Signer.UNSIGNED_PAYLOAD);
        if (resolved instanceof AwsSessionCredentials session) {
            signed.put("x-amz-security-token", session.sessionToken());
        }
        request.headers().forEach((name, value) -> {
            if (name.startsWith("x-amz-") || name.equals("content-md5") || name.equals("content-type") || name.equals("range")) {
                signed.put(name, value);
            }
        });
        String authorization = signer.authorization(request.method(), path, query.toString(), signed, amzDate,
                resolved.accessKeyId(), resolved.secretAccessKey());
        StringBuilder head = new StringBuilder(1024).append(request.method()).append(' ').append(path);
        if (!query.isEmpty()) {
            head.append('?').append(query);
        }
        head.append(" HTTP/1.1\r\n");
        header(head, "host", host);
        header(head, "authorization", authorization);
        signed.forEach((name, value) -> {
            if (!name.equals("host")) {
                header(head, name, value);
            }
        });
        request.headers().forEach((name, value) -> {
            if (!signed.containsKey(name)) {
                header(head, name, value);
            }
        });
        Body body = request.body();
        if (body != Body.NONE || request.method().equals("PUT") || request.method().equals("POST")) {
            header(head, "content-length", Long.toString(body.length()));
        }
        header(head, "user-agent", USER_AGENT);
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One header line; a value that would end the line early, or is not one byte a character, is refused. */
    private static void header(StringBuilder head, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("the header " + name + " has a character an HTTP header cannot carry (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    /** The failure an answer reports, from the first 64 KiB of its body. */
    private static S3HttpException error(Http1Connection.Answer answer) {
        String body = "";
        try (InputStream in = answer.body()) {
            body = new String(in.readNBytes(MAX_XML), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            // The status alone says enough.
        }
        return error(answer.status(), body);
    }

    private static S3HttpException error(int status, String body) {
        String code = XmlValues.first(body, "Code").orElse(switch (status) {
            case 403 -> "AccessDenied";
            case 404 -> "NotFound";
            case 412 -> "PreconditionFailed";
            case 501 -> "NotImplemented";
            case 503 -> "SlowDown";
            default -> "Http" + status;
        });
        return new S3HttpException(status, code, XmlValues.first(body, "Message").orElse(""));
    }

    private void backOff(int attempt, boolean throttled) {
        long base = (throttled ? 5 * backoff : backoff) << (attempt - 1);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(base / 2, base + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted waiting to retry an S3 request"));
        }
    }

    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
