package dev.ferry.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.protocol.data.Hello;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data channel's pipeline over a loopback connection. */
class DataChannelPipelineTest {

    /** Stands where TLS stands, nearest the socket: counts the flushes that reach it. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }

    private EventLoopGroup group;
    private Channel server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        DataChannelPipeline.install(ch.pipeline(), 1);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                Frame frame = (Frame) msg;
                                received.add(frame.streamId() + ":" + frame.header(Hello.class).getExecutionId());
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel connect(FlushCounter counter) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(counter);
                DataChannelPipeline.install(ch.pipeline(), 1);
            }
        }).connect(server.localAddress()).sync().channel();
    }

    @Test
    void framesWrittenTogetherReachTlsAsOneFlush() throws Exception {
        FlushCounter counter = new FlushCounter();
        Channel client = connect(counter);
        AtomicInteger flushesAfterWrites = new AtomicInteger(-1);
        // Ten frames written and flushed in one task of the event loop, as the frames of many
        // streams queue up behind each other; a task queued after them sees what they flushed.
        client.eventLoop().submit(() -> {
            for (int stream = 1; stream <= 10; stream++) {
                client.writeAndFlush(Frame.of(stream, Hello.newBuilder().setExecutionId("e" + stream).build()));
            }
            assertThat(counter.flushes).hasValue(0);
        }).sync();
        client.eventLoop().submit(() -> flushesAfterWrites.set(counter.flushes.get())).sync();

        assertThat(flushesAfterWrites).hasValue(1);
        await().until(() -> received.size() == 10);
        assertThat(received).containsExactly("1:e1", "2:e2", "3:e3", "4:e4", "5:e5", "6:e6", "7:e7", "8:e8", "9:e9", "10:e10");
        client.close().sync();
    }

    @Test
    void aFrameFlushedFromAnotherThreadArrivesWithoutAnotherWrite() throws Exception {
        Channel client = connect(new FlushCounter());

        client.writeAndFlush(Frame.of(3, Hello.newBuilder().setExecutionId("alone").build()));

        await().until(() -> received.size() == 1);
        assertThat(received).containsExactly("3:alone");
        client.close().sync();
    }

    @Test
    void closingFlushesWhatIsStillPending() throws Exception {
        Channel client = connect(new FlushCounter());

        client.eventLoop().submit(() -> {
            client.writeAndFlush(Frame.last(5, Hello.newBuilder().setExecutionId("bye").build()));
            client.close();
        }).sync();

        await().until(() -> received.size() == 1);
        assertThat(received).containsExactly("5:bye");
    }
}
