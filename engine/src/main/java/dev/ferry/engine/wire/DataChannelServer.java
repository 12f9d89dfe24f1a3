package dev.ferry.engine.wire;

import dev.ferry.protocol.data.Error;
import dev.ferry.protocol.data.Hello;
import dev.ferry.protocol.data.HelloAck;
import dev.ferry.protocol.frame.DataChannelPipeline;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import dev.ferry.protocol.tls.CertificateAuthority;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's data-channel endpoint: TLS 1.3 with a required client certificate from the
 * control plane's CA, then a HELLO naming the execution and location, checked by the
 * {@link Admission} before the connection is handed on.
 */
public final class DataChannelServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataChannelServer.class);

    /** Decides whether an agent's connection belongs to a session it was given. */
    public interface Admission {
        /**
         * @param agentId the common name of the agent's verified certificate
         * @return where the connection goes
         * @throws RefusedException with the reason sent to the agent
         */
        Consumer<DataConnection> admit(String agentId, Hello hello) throws RefusedException;
    }

    /** A connection refused at hello, with the reason told to the peer. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        public RefusedException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;

    public DataChannelServer(InetSocketAddress bind, SslContext ssl, Admission admission, DataChannelSettings settings)
            throws InterruptedException {
        boss = Transports.eventLoopGroup(1);
        workers = Transports.eventLoopGroup(0);
        serverChannel = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 16 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("hello-timeout", new ReadTimeoutHandler(30));
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        DataChannelPipeline.install(ch.pipeline(), settings.compressionLevel(), settings.compression());
                        ch.pipeline().addLast("hello", new HelloHandler(admission, settings));
                    }
                })
                .bind(bind).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class HelloHandler extends SimpleChannelInboundHandler<Frame> {
        private final Admission admission;
        private final DataChannelSettings settings;

        HelloHandler(Admission admission, DataChannelSettings settings) {
            this.admission = admission;
            this.settings = settings;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) throws Exception {
            if (frame.type() != FrameType.HELLO || frame.streamId() != 0) {
                refuse(ctx, "PROTOCOL", "the first frame must be HELLO on stream 0");
                return;
            }
            Hello hello = frame.header(Hello.class);
            if (!hello.getVersionsList().contains(DataChannelSettings.PROTOCOL_VERSION)) {
                refuse(ctx, "VERSION", "protocol versions " + hello.getVersionsList() + " are not spoken here; this side speaks "
                        + DataChannelSettings.PROTOCOL_VERSION);
                return;
            }
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            String agentId = CertificateAuthority.commonName((X509Certificate) tls.engine().getSession().getPeerCertificates()[0]);
            Consumer<DataConnection> target;
            try {
                target = admission.admit(agentId, hello);
            } catch (RefusedException e) {
                LOG.warn("event=data_connection_refused agent={} execution={} reason=\"{}\"", agentId, hello.getExecutionId(), e.getMessage());
                refuse(ctx, e.code(), e.getMessage());
                return;
            }
            // Attached before the agent hears HELLO_ACK, so a connected agent is always usable.
            io.netty.channel.Channel channel = ctx.channel();
            ctx.pipeline().remove("hello-timeout");
            ctx.pipeline().remove(this);
            target.accept(new DataConnection(channel, settings.streamWindow(), settings.chunkSize(), null));
            channel.writeAndFlush(Frame.of(0, HelloAck.newBuilder().setVersion(DataChannelSettings.PROTOCOL_VERSION)
                    .setStreamWindow(settings.streamWindow()).setMaxChunkSize(settings.chunkSize()).build()));
        }

        private static void refuse(ChannelHandlerContext ctx, String code, String message) {
            ctx.writeAndFlush(Frame.last(0, Error.newBuilder().setCode(code).setMessage(message).build()))
                    .addListener(f -> ctx.close());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("event=data_connection_failed remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
