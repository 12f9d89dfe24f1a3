package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Ferry's HTTP/1.1 connections against a server on loopback that answers from a script, byte for
 * byte: the framings a store may use, connections it closes, answers it cuts short or never sends.
 * The S3 servers of the other tests carry the ordinary traffic.
 */
class Http1ConnectionTest {

    /**
     * What the server does with one request: the bytes it answers, whether it then closes the
     * connection, and whether it answers as soon as it has the head, without reading the body.
     */
    private record Reply(String answer, boolean closeAfter, boolean beforeBody) {
        static Reply of(String answer) {
            return new Reply(answer, false, false);
        }

        /** Answers on the head alone and closes, as a store that refuses a request does. */
        static Reply refusing(String answer) {
            return new Reply(answer, true, true);
        }
    }

    /** A request as the server read it. */
    private record Seen(int connection, String requestLine, String head, byte[] body) {
    }

    private ServerSocket server;
    private Thread acceptor;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private Http1Pool pool;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    int number = connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(socket, number));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        pool = new Http1Pool("127.0.0.1", server.getLocalPort(), null, 5_000);
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        acceptor.join();
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                Reply early = replies.peek();
                if (early != null && early.beforeBody()) {
                    replies.take();
                    seen.add(new Seen(number, head.substring(0, head.indexOf("\r\n")), head, new byte[0]));
                    out.write(early.answer().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return; // Closed with the body unread: the client's writing fails.
                }
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    return; // The client gave up on the request.
                }
                seen.add(new Seen(number, head.substring(0, head.indexOf("\r\n")), head, body));
                Reply reply = replies.take();
                out.write(reply.answer().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (reply.closeAfter()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The test is over, or the client went away.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private S3Http s3() {
        return new S3Http(pool, false, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")), "us-east-1",
                java.net.URI.create("http://127.0.0.1:" + server.getLocalPort() + "/bucket/"), Duration.ofMillis(1));
    }

    private Http1Connection.Answer exchange(String method, byte[] body, int timeoutMillis) throws IOException {
        Http1Connection connection = pool.acquire(false);
        byte[] head = (method + " /k HTTP/1.1\r\nhost: x\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return connection.exchange(head, body, 0, null, body.length, method.equals("HEAD"), timeoutMillis);
    }

    @Test
    void aBodyWithRoomBeforeItLeavesWithItsHeadWhicheverFits() throws IOException {
        Random random = new Random(7);
        // Room for the head; room too small for it; a body larger than one joined write.
        int[][] cases = {{512, 1_000}, {8, 1_000}, {512, 200_000}};
        for (int[] c : cases) {
            int room = c[0];
            byte[] content = new byte[c[1]];
            random.nextBytes(content);
            byte[] array = new byte[room + content.length + 16];
            Arrays.fill(array, (byte) 'x');
            System.arraycopy(content, 0, array, room, content.length);
            byte[] head = ("PUT /k HTTP/1.1\r\nhost: x\r\ncontent-length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

            Http1Connection.Answer answer = pool.acquire(false).exchange(head, array, room, null, content.length, false, 5_000);
            text(answer.body());

            Seen request = seen.getLast();
            assertThat(request.head()).isEqualTo(new String(head, StandardCharsets.ISO_8859_1));
            assertThat(request.body()).isEqualTo(content);
            // A retry sends the same array again: the body and what follows it are as they were.
            assertThat(Arrays.copyOfRange(array, room, room + content.length)).isEqualTo(content);
            assertThat(Arrays.copyOfRange(array, room + content.length, array.length)).containsOnly((byte) 'x');
        }
        assertThat(seen).hasSize(3);
    }

    private static String text(InputStream body) throws IOException {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void bodiesOfEachFramingAreReadAndTheConnectionServesTheNextRequest() throws IOException {
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"e1\"\r\n\r\nhello"));
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nx-trailer: t\r\n\r\n"));
        replies.add(Reply.of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")); // HEAD: a length, no body
        replies.add(Reply.of("HTTP/1.1 204 No Content\r\n\r\n"));

        Http1Connection.Answer first = exchange("GET", new byte[0], 5_000);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().firstValue("ETAG")).contains("\"e1\"");
        assertThat(text(first.body())).isEqualTo("hello");
        assertThat(text(exchange("GET", new byte[0], 5_000).body())).isEqualTo("hello");
        Http1Connection.Answer head = exchange("HEAD", new byte[0], 5_000);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(100);
        assertThat(text(head.body())).isEmpty();
        assertThat(text(exchange("DELETE", new byte[0], 5_000).body())).isEmpty();

        assertThat(connections).hasValue(1);
        assertThat(pool.idleConnections()).isEqualTo(1);
    }

    @Test
    void aBodyThatRunsToTheConnectionsEndIsReadWholeAndTheConnectionNotReused() throws IOException {
        replies.add(new Reply("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it", true, false));
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(text(exchange("GET", new byte[0], 5_000).body())).isEqualTo("all of it");
        assertThat(pool.idleConnections()).isZero();
        assertThat(text(exchange("GET", new byte[0], 5_000).body())).isEqualTo("ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void aBodyClosedBeforeItsEndClosesItsConnectionInsteadOfReusingIt() throws IOException {
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000)));
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (InputStream body = exchange("GET", new byte[0], 5_000).body()) {
            assertThat(body.readNBytes(10)).hasSize(10);
        }
        assertThat(pool.idleConnections()).isZero();
        assertThat(text(exchange("GET", new byte[0], 5_000).body())).isEqualTo("ok");
        assertThat(connections).hasValue(2);
    }

    @Test
    void aBodyCutShortByTheStoreIsAnErrorNotAShortRead() throws IOException {
        replies.add(new Reply("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", true, false));
        InputStream body = exchange("GET", new byte[0], 5_000).body();
        assertThatThrownBy(body::readAllBytes).isInstanceOf(EOFException.class).hasMessageContaining("before the end");
    }

    @Test
    void aStoreThatNeverAnswersTimesOut() throws IOException {
        // No reply is queued: the server reads the request and waits.
        assertThatThrownBy(() -> exchange("PUT", new byte[100_000], 300)).isInstanceOf(SocketTimeoutException.class);
    }

    /** A store that is slow to answer may have the request: not sent again at once as if the connection were stale. */
    @Test
    void aTimeoutOnAReusedConnectionIsNotTakenForAStaleOne() throws IOException {
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        text(exchange("GET", new byte[0], 5_000).body());
        Http1Connection reused = pool.acquire(false);
        byte[] head = "GET /k HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> reused.exchange(head, null, 0, null, 0, false, 300)).isInstanceOf(SocketTimeoutException.class);
        assertThat(reused.failedStale()).isFalse();
        assertThat(connections).hasValue(1);
    }

    @Test
    void aMalformedAnswerIsRefused() {
        replies.add(Reply.of("SMTP ready\r\n\r\n"));
        assertThatThrownBy(() -> exchange("GET", new byte[0], 5_000)).isInstanceOf(IOException.class).hasMessageContaining("not an HTTP/1 answer");
    }

    @Test
    void aConnectionTheStoreClosedWhileIdleIsReplacedAndTheRequestSentAgain() {
        S3Http http = s3();
        replies.add(new Reply("HTTP/1.1 200 OK\r\nETag: \"a\"\r\nContent-Length: 0\r\n\r\n", true, false)); // Closes without saying so.
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nETag: \"b\"\r\nContent-Length: 0\r\n\r\n"));
        assertThat(http.send(S3Http.Request.of("PUT", "one").body(S3Http.Body.of(new byte[10]))).firstValue("etag")).contains("\"a\"");
        assertThat(http.send(S3Http.Request.of("PUT", "two").body(S3Http.Body.of(new byte[10]))).firstValue("etag")).contains("\"b\"");
        assertThat(seen).extracting(Seen::requestLine).containsExactly("PUT /bucket/one HTTP/1.1", "PUT /bucket/two HTTP/1.1");
        assertThat(connections).hasValue(2);
    }

    @Test
    void aStreamedBodyArrivesWholeAndSignedOnANewConnection() {
        S3Http http = s3();
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        replies.add(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        http.send(S3Http.Request.of("PUT", "small").body(S3Http.Body.of(new byte[1])));
        http.send(S3Http.Request.of("PUT", "big").body(S3Http.Body.streamed(new ByteArrayInputStream(data), data.length)));
        Seen big = seen.get(1);
        assertThat(big.body()).isEqualTo(data);
        assertThat(big.head()).contains("authorization: AWS4-HMAC-SHA256 ").contains("content-length: 300000\r\n")
                .contains("host: 127.0.0.1:" + server.getLocalPort() + "\r\n");
        assertThat(big.connection()).isEqualTo(2);
    }

    @Test
    void aStreamedBodyShorterThanItsLengthFailsTheRequest() {
        S3Http http = s3();
        assertThatThrownBy(() -> http.send(S3Http.Request.of("PUT", "big").body(S3Http.Body.streamed(new ByteArrayInputStream(new byte[70_000]), 80_000))))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("ended after 70000 of its 80000 bytes");
    }

    @Test
    void aStoreThatRefusesALargeBodyBeforeReadingItIsHeardWithItsCode() {
        String refusal = "<Error><Code>AccessDenied</Code><Message>no writes here</Message></Error>";
        for (int attempt = 0; attempt < 5; attempt++) { // Refused as often as asked: a client that retries meets the same.
            replies.add(Reply.refusing("HTTP/1.1 403 Forbidden\r\nContent-Length: " + refusal.length() + "\r\nConnection: close\r\n\r\n"
                    + refusal));
        }
        byte[] data = new byte[16 << 20];
        assertThatThrownBy(() -> s3().send(S3Http.Request.of("PUT", "big").body(S3Http.Body.of(data))))
                .isInstanceOf(S3HttpException.class).hasMessageContaining("403").hasMessageContaining("AccessDenied");
        assertThat(seen).hasSize(1); // A refusal is an answer: not tried again.
    }

    @Test
    void aHeaderValueThatWouldSplitTheRequestIsRefusedBeforeAnythingIsSent() {
        S3Http http = s3();
        assertThatThrownBy(() -> http.send(S3Http.Request.of("PUT", "k").header("x-amz-meta-a", "v\r\nx-amz-acl: public-read")
                .body(S3Http.Body.of(new byte[1])))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-amz-meta-a");
        assertThat(connections).hasValue(0);
    }
}
