package dev.ferry.locations.s3;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connections to one store (one scheme, host and port, one way of trusting it): idle ones
 * kept for the next request, the most recently used first, so that a burst reuses warm
 * connections and the ones left over age out. A connection idle longer than {@link #IDLE_NANOS}
 * is closed rather than used, before a store closes it on its side (S3 and Jetty do after 20 to
 * 30 seconds); one it closed sooner fails its next request before any answer, which
 * {@link S3Http} sends again on a new connection.
 *
 * <p>Threading: safe for many threads; {@link #acquire} connects on the calling thread.
 */
final class Http1Pool implements AutoCloseable {
    static final int MAX_IDLE = 256;
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final String host;
    private final int port;
    /** Null for plain HTTP. */
    private final SSLSocketFactory tls;
    private final int connectTimeoutMillis;
    private final ConcurrentLinkedDeque<Http1Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    Http1Pool(String host, int port, SSLSocketFactory tls, int connectTimeoutMillis) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** An idle connection young enough to use, or a new one; always a new one when {@code fresh}. */
    Http1Connection acquire(boolean fresh) throws IOException {
        if (closed) {
            throw new IOException("the connections to " + host + ":" + port + " are closed");
        }
        if (!fresh) {
            long now = System.nanoTime();
            for (Http1Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
                idleCount.decrementAndGet();
                if (now - c.idleSince < IDLE_NANOS) {
                    return c;
                }
                c.close();
            }
        }
        return Http1Connection.open(this, host, port, tls, connectTimeoutMillis);
    }

    /** Takes back a connection whose answer was read to its end. */
    void release(Http1Connection connection) {
        if (closed || idleCount.get() >= MAX_IDLE) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        idle.offerFirst(connection);
        idleCount.incrementAndGet();
        closeExpired();
        if (closed) {
            closeIdle(); // Closed while this one came back.
        }
    }

    /** Closes the connections idle too long to be used; they are the oldest, at the end. */
    void closeExpired() {
        long now = System.nanoTime();
        for (Http1Connection oldest = idle.peekLast(); oldest != null && now - oldest.idleSince >= IDLE_NANOS; oldest = idle.peekLast()) {
            if (idle.removeLastOccurrence(oldest)) {
                idleCount.decrementAndGet();
                oldest.close();
            }
        }
    }

    int idleConnections() {
        return idleCount.get();
    }

    private void closeIdle() {
        for (Http1Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            idleCount.decrementAndGet();
            c.close();
        }
    }

    /** Closes the idle connections; the ones in use close when their answers are done. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }
}
