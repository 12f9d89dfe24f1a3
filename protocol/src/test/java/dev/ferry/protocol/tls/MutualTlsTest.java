package dev.ferry.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MutualTlsTest {
    private final CertificateAuthority ca = CertificateAuthority.create("Ferry test CA");
    private EventLoopGroup group;
    private Channel server;
    private volatile String serverSeenPeer;
    private final java.util.concurrent.CompletableFuture<Throwable> serverHandshake = new java.util.concurrent.CompletableFuture<>();

    @BeforeEach
    void startServer() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        KeyPair serverKey = KeyPairs.generate();
        X509Certificate serverCert = ca.signServer(serverKey.getPublic(), "control-plane", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        SslContext context = TlsContexts.server(serverKey.getPrivate(), serverCert, ca.certificate());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = context.newHandler(ch.alloc());
                        ssl.handshakeFuture().addListener(f -> {
                            if (f.isSuccess()) {
                                serverSeenPeer = CertificateAuthority.commonName((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
                            }
                            serverHandshake.complete(f.cause());
                        });
                        ch.pipeline().addLast(ssl);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SslHandler connect(SslContext client) throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        SslHandler[] holder = new SslHandler[1];
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                holder[0] = client.newHandler(ch.alloc(), "127.0.0.1", port);
                ch.pipeline().addLast(holder[0]);
            }
        }).connect("127.0.0.1", port).sync();
        holder[0].handshakeFuture().await(10, TimeUnit.SECONDS);
        return holder[0];
    }

    @Test
    void anAgentCertifiedByTheCaConnectsOverTls13AndIsKnownByName() throws Exception {
        KeyPair agentKey = KeyPairs.generate();
        PKCS10CertificationRequest csr = KeyPairs.csr(agentKey, "whatever-the-agent-asks");
        X509Certificate agentCert = ca.signClient(Pem.csr(Pem.write(csr)), "agent-123", Duration.ofDays(1));
        assertThat(CertificateAuthority.commonName(agentCert)).isEqualTo("agent-123");

        SslHandler ssl = connect(TlsContexts.client(agentKey.getPrivate(), agentCert, ca.certificate()));
        assertThat(ssl.handshakeFuture().isSuccess()).isTrue();
        assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "agent-123".equals(serverSeenPeer));
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("someone else");
        KeyPair key = KeyPairs.generate();
        X509Certificate cert = other.signClient(KeyPairs.csr(key, "x"), "agent-evil", Duration.ofDays(1));
        connect(TlsContexts.client(key.getPrivate(), cert, ca.certificate()));
        // With TLS 1.3 the client may think it is done before the server's verdict arrives: the
        // server's own handshake result is what counts.
        Throwable failure = serverHandshake.get(10, TimeUnit.SECONDS);
        assertThat(failure).isNotNull();
        assertThat(serverSeenPeer).isNull();
    }

    @Test
    void aRequestSignedByAnotherKeyIsRefused() throws Exception {
        KeyPair a = KeyPairs.generate();
        PKCS10CertificationRequest csr = KeyPairs.csr(a, "x");
        byte[] encoded = csr.getEncoded().clone();
        encoded[encoded.length - 5] ^= 1;
        assertThatThrownBy(() -> ca.signClient(new PKCS10CertificationRequest(encoded), "agent", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pemRoundTripsKeysAndCertificates() {
        KeyPair key = KeyPairs.generate();
        assertThat(Pem.privateKey(Pem.write(key.getPrivate())).getEncoded()).isEqualTo(key.getPrivate().getEncoded());
        assertThat(Pem.certificate(Pem.write(ca.certificate()))).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> Pem.certificate("not pem")).isInstanceOf(IllegalArgumentException.class);
    }
}
