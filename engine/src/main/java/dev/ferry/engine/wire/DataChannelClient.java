package dev.ferry.engine.wire;

import dev.ferry.protocol.data.Error;
import dev.ferry.protocol.data.Hello;
import dev.ferry.protocol.data.HelloAck;
import dev.ferry.protocol.frame.DataChannelPipeline;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The agent's side of a data connection: connect, TLS with the agent's certificate, HELLO. */
public final class DataChannelClient {
    private DataChannelClient() {
    }

    /**
     * Connects and, once the control plane accepts the hello, serves {@code server}'s location on
     * the connection.
     *
     * @throws IOException when the connection or the hello fails; the message says why
     */
    public static DataConnection connect(EventLoopGroup group, String host, int port, SslContext ssl, Hello hello,
            LocationServer server, DataChannelSettings settings, Duration timeout) throws IOException {
        return connectAll(1, group, host, port, ssl, hello, server, settings, timeout).get(0);
    }

    /**
     * Opens {@code count} connections at once, each as {@link #connect} does. One after another,
     * each would cost the round trips of its TLS handshake and hello before the next began: on an
     * 80 ms path, four took half a second, and the transfer started on one connection while the
     * others were still on their way.
     *
     * @return all of them, once every one is ready
     * @throws IOException when any fails; none of them is left open, including any that open later
     */
    public static List<DataConnection> connectAll(int count, EventLoopGroup group, String host, int port, SslContext ssl, Hello hello,
            LocationServer server, DataChannelSettings settings, Duration timeout) throws IOException {
        List<CompletableFuture<DataConnection>> opening = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            opening.add(open(group, host, port, ssl, hello, server, settings, timeout));
        }
        List<DataConnection> connections = new ArrayList<>(count);
        try {
            for (CompletableFuture<DataConnection> ready : opening) {
                connections.add(await(ready, host, port, timeout));
            }
            return connections;
        } catch (IOException | RuntimeException e) {
            opening.forEach(ready -> ready.thenAccept(connection -> connection.close("another connection of the set failed")));
            throw e;
        }
    }

    private static CompletableFuture<DataConnection> open(EventLoopGroup group, String host, int port, SslContext ssl, Hello hello,
            LocationServer server, DataChannelSettings settings, Duration timeout) {
        CompletableFuture<DataConnection> ready = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 16 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), host, port);
                        ch.pipeline().addLast("tls", tls);
                        DataChannelPipeline.install(ch.pipeline(), settings.compressionLevel(), settings.compression());
                        ch.pipeline().addLast("hello", new ClientHello(ready, server));
                        tls.handshakeFuture().addListener(f -> {
                            if (f.isSuccess()) {
                                ch.writeAndFlush(Frame.of(0, hello));
                            } else {
                                ready.completeExceptionally(new IOException("TLS handshake with the control plane failed: "
                                        + f.cause().getMessage(), f.cause()));
                            }
                        });
                        ch.closeFuture().addListener(f -> ready.completeExceptionally(
                                new IOException("the control plane closed the data connection during hello")));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(host, port);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(new IOException("cannot connect to the data channel at " + host + ":" + port
                        + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        // A connection that is not ready in time is closed, not left to finish its hello unused.
        ready.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((connection, failure) -> {
            if (failure != null) {
                connecting.channel().close();
            }
        });
        return ready;
    }

    private static DataConnection await(CompletableFuture<DataConnection> ready, String host, int port, Duration timeout) throws IOException {
        try {
            return ready.get(); // Bounded: open() fails it after the timeout.
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new IOException("no answer to hello from " + host + ":" + port + " within " + timeout);
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted connecting to the data channel");
        }
    }

    private static final class ClientHello extends SimpleChannelInboundHandler<Frame> {
        private final CompletableFuture<DataConnection> ready;
        private final LocationServer server;

        ClientHello(CompletableFuture<DataConnection> ready, LocationServer server) {
            this.ready = ready;
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame.type() == FrameType.HELLO_ACK) {
                HelloAck ack = frame.header(HelloAck.class);
                ctx.pipeline().remove(this);
                ready.complete(new DataConnection(ctx.channel(), ack.getStreamWindow(), ack.getMaxChunkSize(), server::accept));
            } else if (frame.type() == FrameType.ERROR) {
                Error error = frame.header(Error.class);
                ready.completeExceptionally(new IOException("the control plane refused the data connection: "
                        + error.getCode() + ": " + error.getMessage()));
                ctx.close();
            } else {
                ready.completeExceptionally(new IOException("unexpected " + frame.type() + " before HELLO_ACK"));
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(new IOException("data connection failed: " + cause.getMessage(), cause));
            ctx.close();
        }
    }
}
