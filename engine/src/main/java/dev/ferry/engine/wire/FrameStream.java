package dev.ferry.engine.wire;

import com.google.protobuf.Message;
import dev.ferry.protocol.data.Credit;
import dev.ferry.protocol.data.ListPage;
import dev.ferry.protocol.frame.ChunkData;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import dev.ferry.protocol.frame.RawChunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request and its answer on a {@link DataConnection}: an inbound queue filled by the event
 * loop and drained by one blocking worker thread, and the credit this side may still spend
 * sending payload. Memory is bounded by the peer's credit window: a receiver returns credit only
 * for what its worker has consumed.
 *
 * <p>Threading: {@link #take()} and the send methods are for the one worker thread that owns the
 * stream; the event loop calls the package-private delivery methods.
 */
public final class FrameStream implements AutoCloseable {
    private static final Object END = new Object();

    private final DataConnection connection;
    private final int id;
    private final LinkedBlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition creditArrived = lock.newCondition();
    private long sendCredit;
    private long unreturnedCredit;
    private long queuedCost;
    private volatile Throwable failure;
    private volatile dev.ferry.protocol.data.Error peerError;
    private volatile boolean closed;

    FrameStream(DataConnection connection, int id, long window) {
        this.connection = connection;
        this.id = id;
        this.sendCredit = window;
    }

    public int id() {
        return id;
    }

    public DataConnection connection() {
        return connection;
    }

    /** Sends a frame with no payload. */
    public void send(Message header) throws IOException {
        checkOpen();
        connection.write(Frame.of(id, header));
    }

    /** Sends the last frame this side sends on the stream. */
    public void sendLast(Message header) throws IOException {
        checkOpen();
        connection.write(Frame.last(id, header));
    }

    /** Sends a listing page once the peer has credit for it. */
    public void sendPage(ListPage page, boolean last) throws IOException {
        long cost = page.getSerializedSize();
        acquireCredit(cost);
        connection.write(last ? Frame.last(id, page) : Frame.of(id, page));
    }

    /** Sends file bytes once the peer has credit for them; {@code data} is not reused by the caller. */
    public void sendChunk(long offset, byte[] data, int length) throws IOException {
        acquireCredit(length);
        connection.writeChunk(new RawChunk(id, offset, data, length));
    }

    /** As {@link #sendChunk(long, byte[], int)}, with the CRC32C of the bytes, which the sender computed already. */
    public void sendChunk(long offset, byte[] data, int length, int crc32c) throws IOException {
        acquireCredit(length);
        connection.writeChunk(new RawChunk(id, offset, Unpooled.wrappedBuffer(data, 0, length), crc32c));
    }

    /**
     * Sends the readable bytes of {@code data} once the peer has credit for them. The buffer is
     * handed over, sent or not: the pipeline releases it, or this does when it cannot be sent.
     */
    public void sendChunk(long offset, ByteBuf data) throws IOException {
        sendOrRelease(new RawChunk(id, offset, data));
    }

    /** As {@link #sendChunk(long, ByteBuf)}, with the CRC32C of the bytes, which the sender computed already. */
    public void sendChunk(long offset, ByteBuf data, int crc32c) throws IOException {
        sendOrRelease(new RawChunk(id, offset, data, crc32c));
    }

    private void sendOrRelease(RawChunk chunk) throws IOException {
        try {
            acquireCredit(chunk.length());
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
        connection.writeChunk(chunk); // Takes the chunk over, sent or not.
    }

    private void acquireCredit(long cost) throws IOException {
        lock.lock();
        try {
            while (sendCredit < cost) {
                checkOpen();
                creditArrived.await();
            }
            checkOpen();
            sendCredit -= cost;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for credit on stream " + id);
        } finally {
            lock.unlock();
        }
        connection.awaitWritable();
    }

    /**
     * The next frame ({@link Frame}) or chunk ({@link ChunkData}) from the peer; blocks until one
     * arrives. Throws when the stream failed or the connection closed, or at the end of the stream.
     */
    public Object take() throws IOException {
        Object next;
        try {
            next = inbound.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting on stream " + id);
        }
        if (next == END) {
            inbound.add(END);
            Throwable cause = failure;
            throw cause instanceof IOException io ? new IOException(io.getMessage(), io)
                    : new IOException(cause == null ? "stream " + id + " ended" : cause.getMessage(), cause);
        }
        return next;
    }

    /** Tells the peer this side has consumed {@code cost} bytes of what it sent. */
    public void consumed(long cost) {
        long toReturn = 0;
        lock.lock();
        try {
            queuedCost -= cost;
            unreturnedCredit += cost;
            if (unreturnedCredit >= connection.window() / 4) {
                toReturn = unreturnedCredit;
                unreturnedCredit = 0;
            }
        } finally {
            lock.unlock();
        }
        if (toReturn > 0 && !closed) {
            connection.writeQuietly(Frame.of(id, Credit.newBuilder().setBytes(toReturn).build()));
        }
    }

    static long cost(Object item) {
        if (item instanceof ChunkData chunk) {
            return chunk.length();
        }
        if (item instanceof Frame frame && frame.type() == FrameType.LIST_PAGE) {
            return frame.header().getSerializedSize();
        }
        return 0;
    }

    /** From the event loop: queue what the peer sent, refusing a peer that ignores its credit. */
    void deliver(Object item) {
        long cost = cost(item);
        lock.lock();
        try {
            queuedCost += cost;
            if (queuedCost > connection.window() + connection.chunkSize()) {
                throw new dev.ferry.protocol.frame.ProtocolException("peer overran its credit on stream " + id);
            }
        } finally {
            lock.unlock();
        }
        inbound.add(item);
        if (item instanceof Frame frame && frame.type() == FrameType.ERROR) {
            // A sender blocked on credit would never read this: wake it with the reason.
            peerError = frame.header(dev.ferry.protocol.data.Error.class);
            fail(new IOException(peerError.getCode() + ": " + peerError.getMessage()));
        }
    }

    /** The error the peer (or the chunk decoder) ended this stream with, if any. */
    public java.util.Optional<dev.ferry.protocol.data.Error> peerError() {
        return java.util.Optional.ofNullable(peerError);
    }

    /** From the event loop: the peer granted more credit. */
    void addCredit(long bytes) {
        lock.lock();
        try {
            sendCredit += bytes;
            creditArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The stream cannot go on (connection lost, peer error); wakes every waiter. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        inbound.add(END);
        lock.lock();
        try {
            creditArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() throws IOException {
        Throwable cause = failure;
        if (cause != null) {
            throw new IOException("stream " + id + " failed: " + cause.getMessage(), cause);
        }
        if (closed) {
            throw new IOException("stream " + id + " is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        connection.forget(this);
    }
}
