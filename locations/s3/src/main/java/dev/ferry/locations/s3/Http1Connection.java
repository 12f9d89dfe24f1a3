package dev.ferry.locations.s3;

import dev.ferry.locations.InputStreams;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to a store, carrying one exchange at a time on the calling (virtual)
 * thread: the request written with blocking socket calls, the answer's head parsed from the
 * connection's own buffer, and its body read as a stream that hands the connection back to its
 * pool once read to the end. The whole of an exchange is a few calls on one thread; the JDK's
 * asynchronous client spent more of the control plane's CPU on its futures, selector and worker
 * hand-offs (and on compiling them) than on the requests themselves.
 *
 * <p>What it understands of the answer is what S3 and its look-alikes send: a status line, headers,
 * and a body delimited by {@code Content-Length}, by chunks, or by the end of the connection.
 */
final class Http1Connection implements AutoCloseable {
    /** The answer's head (status line and headers) may not be longer than this. */
    static final int MAX_HEAD = 64 * 1024;
    /** Bodies up to this are written in one call with the request's head. */
    private static final int JOINED_WRITE = 64 * 1024;
    /**
     * Where bodies nobody wants are read to their end. Shared by every connection: what lands in
     * it is never looked at, so threads writing it at once do no harm.
     */
    private static final byte[] DISCARDED = new byte[8192];
    /**
     * A blocking write has no timeout of its own: a store that stops reading a large body would
     * hold the thread forever. This closes the socket at the exchange's deadline instead.
     */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final Http1Pool pool;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    /**
     * A small request's head and body, joined for one write. Kept from one request to the next (a
     * connection carries one at a time): a new array per request was, after the bodies themselves,
     * the control plane's largest allocation on small files.
     */
    private byte[] joined;
    private int position;
    private int limit;
    /** When the connection went back to its pool, for its idle time. */
    volatile long idleSince;
    /** Whether an exchange was made on it before the one at hand. */
    private boolean reused;
    private boolean staleFailure;
    /** Whether any byte of the answer at hand has arrived. */
    private boolean answerStarted;
    private volatile boolean timedOut;
    /** Whether writing to the socket failed: whatever an answer says, the connection is not reused. */
    private boolean broken;
    /** The socket's read timeout as last set. */
    private int soTimeout = -1;

    private Http1Connection(Http1Pool pool, Socket socket) throws IOException {
        this.pool = pool;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new SocketOutput(socket.getOutputStream());
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "s3-http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Connects to {@code host:port}, through TLS when {@code tls} is not null (the name checked against the certificate). */
    static Http1Connection open(Http1Pool pool, String host, int port, SSLSocketFactory tls, int connectTimeoutMillis) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.setKeepAlive(true);
            raw.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            if (tls == null) {
                return new Http1Connection(pool, raw);
            }
            raw.setSoTimeout(connectTimeoutMillis);
            SSLSocket secure = (SSLSocket) tls.createSocket(raw, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return new Http1Connection(pool, secure);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The headers of an answer, by lower-case name. */
    static final class Headers {
        private final Map<String, List<String>> map;

        Headers(Map<String, List<String>> map) {
            this.map = map;
        }

        Optional<String> firstValue(String name) {
            List<String> values = map.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        OptionalLong firstValueAsLong(String name) {
            return firstValue(name).map(value -> OptionalLong.of(Long.parseLong(value.trim()))).orElse(OptionalLong.empty());
        }

        Map<String, List<String>> map() {
            return map;
        }
    }

    /** An answer: its status and headers, and its body, which releases the connection when read to its end or closed. */
    record Answer(int status, Headers headers, AnswerBody body) {
    }

    /**
     * Whether the last exchange failed on a connection that had carried an exchange before, with
     * no byte of its answer arrived: the store most likely closed the idle connection as the
     * request went out, and the request can go again on a new one.
     */
    boolean failedStale() {
        return staleFailure;
    }

    /**
     * Sends a request and reads the head of its answer.
     *
     * @param head the request line and headers, ending with the empty line
     * @param bytes the body: {@code length} bytes from {@code offset}; null for a streamed body or none
     * @param offset where the body starts in {@code bytes}; what lies before it is free, and the
     *     head goes there when it fits, so that both leave in one write without copying the body
     * @param stream the body read for exactly {@code length} bytes, when {@code bytes} is null; null for none
     * @param headRequest whether the request was a HEAD, whose answer names a length but has no body
     * @param timeoutMillis how long the answer's head may take, and each read of its body
     */
    Answer exchange(byte[] head, byte[] bytes, int offset, InputStream stream, long length, boolean headRequest, int timeoutMillis)
            throws IOException {
        answerStarted = false;
        boolean usedBefore = reused;
        reused = true;
        // Small requests fit the socket's send buffer, so only a read can wait on the store, and
        // the socket's read timeout covers that.
        boolean watched = length > JOINED_WRITE;
        ScheduledFuture<?> deadline = watched ? DEADLINES.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS) : null;
        try {
            if (timeoutMillis != soTimeout) { // Setting it takes the socket's lock: not for every request.
                socket.setSoTimeout(timeoutMillis);
                soTimeout = timeoutMillis;
            }
            try {
                write(head, bytes, offset, stream, length);
            } catch (IOException writeFailed) {
                if (!broken) {
                    throw writeFailed; // The body's source failed, not the socket: the store is still reading.
                }
                return earlyAnswer(headRequest, writeFailed);
            }
            return readAnswer(headRequest);
        } catch (IOException e) {
            // A store that took too long may well have the request: that is not a stale connection.
            staleFailure = usedBefore && !answerStarted && !timedOut && !(e instanceof SocketTimeoutException);
            if (timedOut) {
                throw new SocketTimeoutException("no answer from the store within " + timeoutMillis + " ms");
            }
            throw e;
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /**
     * The answer a store sent before it stopped reading the request: a store that refuses a
     * request (a signature it rejects, a bucket that is not there) may answer on the head alone
     * and close, and the rest of the body then meets a broken pipe. Its answer says why; the
     * broken pipe does not. The connection is not reused.
     *
     * @throws IOException the write's own failure when there is no answer to read
     */
    private Answer earlyAnswer(boolean headRequest, IOException writeFailed) throws IOException {
        if (timedOut) {
            throw writeFailed;
        }
        try {
            return readAnswer(headRequest);
        } catch (IOException noAnswer) {
            writeFailed.addSuppressed(noAnswer);
            throw writeFailed;
        }
    }

    private void expire() {
        timedOut = true;
        close();
    }

    private void write(byte[] head, byte[] bytes, int offset, InputStream stream, long length) throws IOException {
        if (bytes != null && head.length <= offset) {
            // Head and body in one write, and the body not copied: on small files that copy was the
            // largest of the request's own costs.
            int start = offset - head.length;
            System.arraycopy(head, 0, bytes, start, head.length);
            out.write(bytes, start, head.length + (int) length);
        } else if (bytes != null && head.length + length <= JOINED_WRITE) {
            if (joined == null) {
                joined = new byte[JOINED_WRITE];
            }
            System.arraycopy(head, 0, joined, 0, head.length);
            System.arraycopy(bytes, offset, joined, head.length, (int) length);
            out.write(joined, 0, head.length + (int) length);
        } else if (bytes != null) {
            out.write(head);
            out.write(bytes, offset, (int) length);
        } else {
            out.write(head);
            if (stream != null) {
                long copied = stream.transferTo(new BoundedOutput(out, length));
                if (copied != length) {
                    throw new EOFException("the request body ended after " + copied + " of its " + length + " bytes");
                }
            }
        }
        out.flush();
    }

    /** The socket's output, noting when it fails: then the store may have answered already. */
    private final class SocketOutput extends OutputStream {
        private final OutputStream socketOut;

        SocketOutput(OutputStream socketOut) {
            this.socketOut = socketOut;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                socketOut.write(b, off, len);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                socketOut.flush();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
    }

    /** Passes on at most {@code length} bytes, refusing a stream that has more than it said. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutput(OutputStream out, long length) {
            this.out = out;
            this.left = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("the request body is longer than the length it was given");
            }
            out.write(b, off, len);
            left -= len;
        }
    }

    private Answer readAnswer(boolean headRequest) throws IOException {
        int[] headBytes = {0};
        while (true) {
            String statusLine = readLine(headBytes);
            answerStarted = true;
            // "HTTP/1.1 200 OK": the version, the code, and a reason that may be empty.
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1 answer: " + printable(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1 status: " + printable(statusLine));
            }
            boolean http10 = statusLine.charAt(7) == '0';
            Map<String, List<String>> headers = new HashMap<>();
            for (String line = readLine(headBytes); !line.isEmpty(); line = readLine(headBytes)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("a malformed header in the answer: " + printable(line));
                }
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                        .add(line.substring(colon + 1).trim());
            }
            if (status / 100 == 1) {
                continue; // 100 Continue, 103 Early Hints: the real answer follows.
            }
            Headers answerHeaders = new Headers(headers);
            String connection = answerHeaders.firstValue("connection").orElse("");
            boolean keepAlive = http10 ? connection.equalsIgnoreCase("keep-alive") : !connection.equalsIgnoreCase("close");
            AnswerBody body;
            if (headRequest || status == 204 || status == 304) {
                body = new AnswerBody(this, 0, false, keepAlive);
            } else if (answerHeaders.firstValue("transfer-encoding").map(te -> te.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
                body = new AnswerBody(this, -1, true, keepAlive);
            } else if (answerHeaders.firstValue("content-length").isPresent()) {
                long length;
                try {
                    length = answerHeaders.firstValueAsLong("content-length").getAsLong();
                } catch (NumberFormatException e) {
                    throw new IOException("an answer with a malformed Content-Length");
                }
                if (length < 0) {
                    throw new IOException("an answer with a negative Content-Length");
                }
                body = new AnswerBody(this, length, false, keepAlive);
            } else {
                body = new AnswerBody(this, -1, false, false); // Until the connection ends.
            }
            return new Answer(status, answerHeaders, body);
        }
    }

    private static String printable(String line) {
        String cut = line.length() > 100 ? line.substring(0, 100) + "..." : line;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** One line of the head, without its CRLF, counted against {@link #MAX_HEAD}. */
    private String readLine(int[] headBytes) throws IOException {
        StringBuilder line = null;
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    headBytes[0] += i + 1 - position;
                    position = i + 1;
                    if (line == null) {
                        return part;
                    }
                    line.append(part);
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last); // The CR came at the end of the previous read.
                    }
                    return line.toString();
                }
            }
            if (line == null) {
                line = new StringBuilder();
            }
            line.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
            headBytes[0] += limit - position;
            position = limit;
            if (headBytes[0] > MAX_HEAD) {
                throw new IOException("the answer's head is longer than " + MAX_HEAD + " bytes");
            }
            if (fill() < 0) {
                throw new EOFException(answerStarted || headBytes[0] > 0
                        ? "the store closed the connection in the middle of its answer"
                        : "the store closed the connection without answering");
            }
        }
    }

    /** Reads more into the empty buffer; -1 at the end of the stream. */
    private int fill() throws IOException {
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
            answerStarted = true;
        }
        return n;
    }

    /** Up to {@code len} bytes of the connection's input, from the buffer first. */
    private int readRaw(byte[] b, int off, int len) throws IOException {
        if (position < limit) {
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }
        if (len >= buffer.length) {
            return in.read(b, off, len); // Large reads go straight into the caller's array.
        }
        int n = fill();
        if (n < 0) {
            return -1;
        }
        return readRaw(b, off, len);
    }

    private int readByte() throws IOException {
        if (position < limit) {
            return buffer[position++] & 0xff;
        }
        return fill() < 0 ? -1 : buffer[position++] & 0xff;
    }

    /**
     * An answer's body. Read to its end, it hands the connection back to its pool (when the store
     * keeps it open); closed before that, it closes the connection, whose input is then mid-answer.
     * After either, it never touches the connection again: another exchange may have it.
     */
    static final class AnswerBody extends InputStream {
        private final Http1Connection connection;
        private final boolean chunked;
        private final boolean keepAlive;
        /** Bytes left of a body of known length, or of the current chunk; -1 for a body that runs to the connection's end. */
        private long left;
        /** Chunked: whether a chunk has begun, so that its closing CRLF comes before the next size line. */
        private boolean chunkDone;
        private boolean ended;

        AnswerBody(Http1Connection connection, long length, boolean chunked, boolean keepAlive) {
            this.connection = connection;
            this.chunked = chunked;
            this.keepAlive = keepAlive;
            this.left = chunked ? 0 : length;
        }

        @Override
        public int read() throws IOException {
            return InputStreams.readOneByte(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (chunked && left == 0 && !nextChunk()) {
                return -1;
            }
            if (!chunked && left == 0) {
                finish();
                return -1;
            }
            int n = connection.readRaw(b, off, left < 0 ? len : (int) Math.min(len, left));
            if (n < 0) {
                if (left < 0) {
                    ended = true; // The body ran to the connection's end, as its answer said it would.
                    connection.close();
                    return -1;
                }
                throw new EOFException("the store closed the connection before the end of the answer's body");
            }
            if (left > 0) {
                left -= n;
                if (left == 0 && !chunked) {
                    finish();
                }
            }
            return n;
        }

        /** Reads the next chunk's size line; false after the last chunk and its trailers. */
        private boolean nextChunk() throws IOException {
            int[] lineBytes = {0};
            if (chunkDone) {
                if (!connection.readLine(lineBytes).isEmpty()) {
                    throw new IOException("a chunk of the answer's body did not end where its size said");
                }
            }
            String line = connection.readLine(lineBytes);
            int extension = line.indexOf(';');
            String hex = (extension < 0 ? line : line.substring(0, extension)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("a malformed chunk size in the answer's body: " + printable(hex));
            }
            if (size < 0) {
                throw new IOException("a negative chunk size in the answer's body");
            }
            if (size == 0) {
                while (!connection.readLine(lineBytes).isEmpty()) {
                    // Trailers: nothing S3 sends that is needed.
                }
                finish();
                return false;
            }
            left = size;
            chunkDone = true;
            return true;
        }

        /** Reads what is left of a body up to {@code max} bytes, so that the connection goes back to its pool, and closes it. */
        void discard(int max) throws IOException {
            long read = 0;
            while (!ended && read <= max) {
                int n = read(DISCARDED, 0, DISCARDED.length);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            close();
        }

        /** The body read to its end: the connection goes back to its pool if the store keeps it open. */
        private void finish() {
            ended = true;
            if (keepAlive && !connection.broken && connection.position == connection.limit) {
                connection.pool.release(connection);
            } else {
                connection.close();
            }
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            if (!chunked && left == 0) {
                finish(); // Nothing was left to read.
                return;
            }
            ended = true;
            connection.close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more can be done with it.
        }
    }
}
