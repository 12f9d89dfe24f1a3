package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The retry policy of Ferry's own S3 requests, against an HTTP server on loopback that answers
 * the way a store under load does (503 SlowDown, then success), or refuses (403). The S3 servers
 * the other tests use never fail on their own, so this is where those answers are made.
 */
class S3HttpRetryTest {
    private HttpServer server;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile int failWith = 503;
    private S3Http http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body.length
                    + (exchange.getRequestHeaders().getFirst("Authorization").startsWith("AWS4-HMAC-SHA256 ") ? " signed" : ""));
            if (failuresLeft.getAndDecrement() > 0) {
                byte[] error = ("<Error><Code>" + (failWith == 503 ? "SlowDown" : "AccessDenied") + "</Code><Message>no</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(failWith, error.length);
                exchange.getResponseBody().write(error);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        URI bucket = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/");
        http = new S3Http(new Http1Pool("127.0.0.1", server.getAddress().getPort(), null, 5_000), true, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
                "us-east-1", bucket, java.time.Duration.ofMillis(1));
    }

    @AfterEach
    void stop() {
        http.close();
        server.stop(0);
    }

    @Test
    void aBodyInMemoryIsSentAgainWhenTheStoreSaysSlowDown() {
        failuresLeft.set(2);
        var answer = http.send(S3Http.Request.of("PUT", "dir/ü key").body(S3Http.Body.of(new byte[100])));
        assertThat(answer.firstValue("etag")).contains("\"0123456789abcdef0123456789abcdef\"");
        assertThat(seen).containsExactly("PUT /bucket/dir/%C3%BC%20key 100 signed", "PUT /bucket/dir/%C3%BC%20key 100 signed",
                "PUT /bucket/dir/%C3%BC%20key 100 signed");
    }

    @Test
    void aStoreStillFailingAfterEveryAttemptFailsTheRequestWithItsCode() {
        failuresLeft.set(S3Http.ATTEMPTS);
        assertThatThrownBy(() -> http.send(S3Http.Request.of("HEAD", "k")))
                .isInstanceOfSatisfying(S3HttpException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(seen).hasSize(S3Http.ATTEMPTS);
    }

    @Test
    void aRefusalIsNotTriedAgain() {
        failWith = 403;
        failuresLeft.set(1);
        assertThatThrownBy(() -> http.send(S3Http.Request.of("DELETE", "k")))
                .isInstanceOfSatisfying(S3HttpException.class, e -> assertThat(e.code()).isEqualTo("AccessDenied"));
        assertThat(seen).hasSize(1);
    }

    /** A streamed body was consumed by the first attempt: it fails, and the file is tried again whole by its caller. */
    @Test
    void aStreamedBodyIsNotSentAgain() {
        failuresLeft.set(1);
        assertThatThrownBy(() -> http.send(S3Http.Request.of("PUT", "big").body(
                S3Http.Body.streamed(new ByteArrayInputStream(new byte[1000]), 1000))))
                .isInstanceOfSatisfying(S3HttpException.class, e -> assertThat(e.code()).isEqualTo("SlowDown"));
        assertThat(seen).containsExactly("PUT /bucket/big 1000 signed");
    }
}
