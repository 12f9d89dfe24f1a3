package dev.ferry.engine.wire;

import dev.ferry.protocol.data.Credit;
import dev.ferry.protocol.data.GoAway;
import dev.ferry.protocol.frame.BufferFrame;
import dev.ferry.protocol.frame.ChunkData;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import dev.ferry.protocol.frame.RawChunk;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data-channel connection after the hello exchange: frames are routed to {@link FrameStream}s by
 * stream id. The requesting side opens streams ({@link #open()}); on the serving side the first
 * frame of an unknown stream is handed to the request handler.
 */
public final class DataConnection {
    private static final Logger LOG = LoggerFactory.getLogger(DataConnection.class);

    private final Channel channel;
    private final long window;
    private final int chunkSize;
    private final BiConsumer<FrameStream, Frame> requestHandler;
    private final Map<Integer, FrameStream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private final ReentrantLock writableLock = new ReentrantLock();
    private final Condition writable = writableLock.newCondition();
    private final LongAdder wireBytesReceived = new LongAdder();
    private final LongAdder wireBytesSent = new LongAdder();
    private volatile Throwable closedCause;

    /**
     * @param requestHandler for serving sides: called on the event loop with each new stream and
     *     its first frame; null for the requesting side
     */
    public DataConnection(Channel channel, long window, int chunkSize, BiConsumer<FrameStream, Frame> requestHandler) {
        this.channel = channel;
        this.window = window;
        this.chunkSize = chunkSize;
        this.requestHandler = requestHandler;
        channel.pipeline().addLast("streams", new Router());
        if (channel.pipeline().get("frame-encoder") != null) {
            channel.pipeline().addAfter("frame-encoder", "wire-counter", new io.netty.channel.ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                    if (msg instanceof Frame frame && frame.type() == FrameType.CHUNK) {
                        wireBytesSent.add(frame.payloadLength());
                    } else if (msg instanceof BufferFrame chunk) {
                        wireBytesSent.add(chunk.payloadLength());
                    }
                    ctx.write(msg, promise);
                }
            });
        }
        channel.closeFuture().addListener(f -> closed(new ClosedChannelException()));
    }

    public long window() {
        return window;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** The connection's buffer allocator, for chunk bytes read into native memory. */
    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public boolean isOpen() {
        return closedCause == null && channel.isActive();
    }

    public int openStreams() {
        return streams.size();
    }

    /** Payload bytes of chunks received, as they crossed the wire (compressed). */
    public long wireBytesReceived() {
        return wireBytesReceived.sum();
    }

    /** Payload bytes of chunks sent, as they crossed the wire (compressed). */
    public long wireBytesSent() {
        return wireBytesSent.sum();
    }

    /** Opens a new stream for a request from this side. */
    public FrameStream open() throws IOException {
        if (!isOpen()) {
            throw new IOException("data connection is closed", closedCause);
        }
        FrameStream stream = new FrameStream(this, nextStreamId.getAndAdd(2), window);
        streams.put(stream.id(), stream);
        return stream;
    }

    void forget(FrameStream stream) {
        streams.remove(stream.id());
    }

    void write(Frame frame) throws IOException {
        send(frame);
    }

    /** Hands the chunk over, sent or not: released by the pipeline, or here when it cannot go. */
    void writeChunk(RawChunk chunk) throws IOException {
        send(chunk);
    }

    void writeQuietly(Frame frame) {
        try {
            send(frame);
        } catch (IOException closed) {
            // Nothing to tell a peer that is gone.
        }
    }

    /**
     * Writes from any thread. A connection closing meanwhile can have its event loop end between
     * the check and the write: Netty then releases the message and throws the rejection to the
     * writer, which is the connection closed, as an {@link IOException} like the check's.
     */
    private void send(Object message) throws IOException {
        if (!isOpen()) {
            ReferenceCountUtil.release(message);
            throw new IOException("data connection is closed", closedCause);
        }
        try {
            channel.writeAndFlush(message, channel.voidPromise());
        } catch (RejectedExecutionException loopEnded) {
            throw new IOException("data connection is closed", loopEnded);
        }
    }

    /** Blocks while the socket's outbound buffer is above its high-water mark. */
    void awaitWritable() throws IOException {
        if (channel.isWritable()) {
            return;
        }
        writableLock.lock();
        try {
            while (!channel.isWritable() && isOpen()) {
                writable.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to write");
        } finally {
            writableLock.unlock();
        }
        if (!isOpen()) {
            throw new IOException("data connection is closed", closedCause);
        }
    }

    /** Says goodbye and closes; streams in flight fail. */
    public void close(String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(Frame.of(0, GoAway.newBuilder().setReason(reason).build()))
                    .addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    private void closed(Throwable cause) {
        if (closedCause == null) {
            closedCause = cause;
        }
        for (FrameStream stream : streams.values()) {
            stream.fail(closedCause);
        }
        writableLock.lock();
        try {
            writable.signalAll();
        } finally {
            writableLock.unlock();
        }
    }

    private final class Router extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ChunkData chunk) {
                wireBytesReceived.add(chunk.wireBytes());
                FrameStream stream = streams.get(chunk.streamId());
                if (stream != null) {
                    stream.deliver(chunk);
                }
                return;
            }
            Frame frame = (Frame) msg;
            if (frame.streamId() == 0) {
                if (frame.type() == FrameType.GOAWAY) {
                    closed(new IOException("peer closed the connection: " + frame.header(GoAway.class).getReason()));
                    ctx.close();
                }
                return;
            }
            FrameStream stream = streams.get(frame.streamId());
            if (frame.type() == FrameType.CREDIT) {
                if (stream != null) {
                    stream.addCredit(frame.header(Credit.class).getBytes());
                }
                return;
            }
            if (stream == null) {
                if (requestHandler == null || frame.type() == FrameType.CANCEL || frame.type() == FrameType.ERROR) {
                    return;
                }
                stream = new FrameStream(DataConnection.this, frame.streamId(), window);
                streams.put(stream.id(), stream);
                requestHandler.accept(stream, frame);
                return;
            }
            if (frame.type() == FrameType.CANCEL) {
                stream.fail(new IOException("the requesting side cancelled stream " + stream.id()));
                return;
            }
            stream.deliver(frame);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writableLock.lock();
            try {
                writable.signalAll();
            } finally {
                writableLock.unlock();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("event=data_connection_error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
            closed(cause);
            ctx.close();
        }
    }
}
