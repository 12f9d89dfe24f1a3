package dev.ferry.locations.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * the JDK's HTTP client with Ferry's own SigV4 signing. The AWS SDK's request pipeline costs about
 * three times the CPU per small object (measured: about 1 ms against 0.3 ms per 32 KiB PUT, warm,
 * on the bench machine), which on a small-file transfer is most of the control plane's work; the
 * SDK still resolves credentials, endpoints and the rarer calls (listing, tagging).
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

    private final HttpClient client;
    private final boolean ownsClient;
    private final AwsCredentialsProvider credentials;
    private final SigV4Signer signer;
    /** The bucket's URL, ending with {@code /}: objects are this plus their encoded key. */
    private final URI bucketUrl;
    private final String host;
    private final String basePath;
    private final long backoff;

    /** @param ownsClient whether closing this closes {@code client}; a shared one stays open */
    S3Http(HttpClient client, boolean ownsClient, AwsCredentialsProvider credentials, String region, URI bucketUrl) {
        this(client, ownsClient, credentials, region, bucketUrl, Duration.ofMillis(100));
    }

    /** @param backoff the wait before the second attempt, doubled before each next (five times that after SlowDown) */
    S3Http(HttpClient client, boolean ownsClient, AwsCredentialsProvider credentials, String region, URI bucketUrl, Duration backoff) {
        this.backoff = backoff.toMillis();
        this.client = client;
        this.ownsClient = ownsClient;
        this.credentials = credentials;
        this.signer = new SigV4Signer(region);
        String url = bucketUrl.toString();
        this.bucketUrl = URI.create(url.endsWith("/") ? url : url + "/");
        this.host = hostHeader(this.bucketUrl);
        this.basePath = this.bucketUrl.getRawPath();
    }

    /** What the JDK's client sends as Host, which the signature must name exactly. */
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
     * A request body: bytes in memory (the first {@code length} of {@code bytes}), which a retry can
     * send again, or a stream, which it cannot.
     */
    record Body(byte[] bytes, Supplier<InputStream> stream, long length) {
        static final Body NONE = new Body(null, null, 0);

        static Body of(byte[] bytes) {
            return new Body(bytes, null, bytes.length);
        }

        /** The first {@code length} bytes of {@code bytes}, which may be a larger, reused buffer. */
        static Body of(byte[] bytes, int length) {
            if (length > bytes.length) {
                throw new IllegalArgumentException("a body of " + length + " bytes in an array of " + bytes.length);
            }
            return new Body(bytes, null, length);
        }

        static Body streamed(InputStream in, long length) {
            return new Body(null, () -> in, length);
        }

        boolean replayable() {
            return stream == null;
        }

        HttpRequest.BodyPublisher publisher() {
            if (bytes != null) {
                return new ByteArrayBodyPublisher(bytes, (int) length);
            }
            if (stream == null) {
                return HttpRequest.BodyPublishers.noBody();
            }
            return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(stream), length);
        }
    }

    /** An answer whose body is discarded (PUT, HEAD, DELETE). */
    HttpHeaders send(Request request) {
        return execute(request, HttpResponse.BodyHandlers.discarding()).headers();
    }

    /** An answer whose body is a small XML document (multipart calls, COPY). */
    HttpResponse<String> sendForXml(Request request) {
        HttpResponse<String> response = execute(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // CopyObject and CompleteMultipartUpload can answer 200 and report a failure in the body.
        if ("Error".equals(XmlValues.root(response.body()))) {
            throw error(500, response.body());
        }
        return response;
    }

    /** An answer whose body the caller reads and closes (GET). */
    HttpResponse<InputStream> open(Request request) {
        return execute(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private <T> HttpResponse<T> execute(Request request, HttpResponse.BodyHandler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt == ATTEMPTS || !request.body().replayable();
            HttpResponse<T> response;
            try {
                response = client.send(sign(request), handler);
            } catch (IOException e) {
                if (last || e instanceof InterruptedIOException) {
                    throw new java.io.UncheckedIOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                }
                backOff(attempt, false);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.UncheckedIOException(new InterruptedIOException("interrupted during an S3 request"));
            }
            if (response.statusCode() / 100 == 2) {
                return response;
            }
            S3HttpException failure = error(response);
            if (last || !failure.retryable()) {
                throw failure;
            }
            backOff(attempt, failure.status() == 503 || failure.status() == 429);
        }
    }

    private HttpRequest sign(Request request) {
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
        URI uri = bucketUrl.resolve(path + (query.isEmpty() ? "" : "?" + query));
        Duration timeout = ANSWER_TIMEOUT.plusSeconds(request.body().length() >> 20);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(request.method(), request.body().publisher())
                .header("Authorization", authorization);
        signed.forEach((name, value) -> {
            if (!name.equals("host")) {
                builder.header(name, value);
            }
        });
        request.headers().forEach((name, value) -> {
            if (!signed.containsKey(name)) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    private static S3HttpException error(HttpResponse<?> response) {
        String body = "";
        Object raw = response.body();
        try {
            if (raw instanceof String text) {
                body = text;
            } else if (raw instanceof InputStream in) {
                try (in) {
                    body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException unreadable) {
            // The status alone says enough.
        }
        return error(response.statusCode(), body);
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
            throw new java.io.UncheckedIOException(new InterruptedIOException("interrupted waiting to retry an S3 request"));
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
