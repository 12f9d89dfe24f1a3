package dev.ferry.engine.wire;

import dev.ferry.locations.Location;
import dev.ferry.protocol.data.Hello;
import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.KeyPairs;
import dev.ferry.protocol.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A data channel on loopback with real TLS: a server admitting one agent for one session, and that
 * agent serving a location over {@code connections} connections. What the control plane and an
 * agent do, without either.
 */
public final class LoopbackDataChannel implements AutoCloseable {
    public static final String AGENT_ID = "agent-test";
    public static final String TOKEN = "session-token";

    /** Compression always: on loopback nothing backs up, and tests check what compression does. */
    private static final DataChannelSettings SETTINGS = DataChannelSettings.DEFAULTS.withCompression(dev.ferry.protocol.frame.Compression.ALWAYS);

    public final CertificateAuthority ca = CertificateAuthority.create("test CA");
    public final RemoteLocation remote;
    private final DataChannelServer server;
    private final EventLoopGroup clientGroup = Transports.eventLoopGroup(2);
    private final LocationServer locationServer;
    private final KeyPair agentKey = KeyPairs.generate();
    private final X509Certificate agentCert = ca.signClient(KeyPairs.csr(agentKey, "a"), AGENT_ID, Duration.ofDays(1));

    public LoopbackDataChannel(Location served, int connections) throws Exception {
        remote = new RemoteLocation(served.kind(), dev.ferry.locations.LocationTraits.of(served), Duration.ofSeconds(10));
        KeyPair serverKey = KeyPairs.generate();
        X509Certificate serverCert = ca.signServer(serverKey.getPublic(), "cp", List.of("127.0.0.1"), Duration.ofDays(1));
        SslContext serverTls = TlsContexts.server(serverKey.getPrivate(), serverCert, ca.certificate());
        server = new DataChannelServer(new InetSocketAddress("127.0.0.1", 0), serverTls, (agent, hello) -> {
            if (!AGENT_ID.equals(agent) || !TOKEN.equals(hello.getSessionToken())) {
                throw new DataChannelServer.RefusedException("UNKNOWN_SESSION", "no session " + hello.getExecutionId() + " for " + agent);
            }
            return remote::attach;
        }, DataChannelSettings.DEFAULTS);
        locationServer = new LocationServer(served);
        if (connections > 0) {
            connectAll(connections, TOKEN);
        }
    }

    public DataConnection connect(String token) throws IOException {
        return connect(token, agentKey, agentCert);
    }

    public DataConnection connect(String token, KeyPair key, X509Certificate cert) throws IOException {
        return DataChannelClient.connect(clientGroup, "127.0.0.1", server.port(), TlsContexts.client(key.getPrivate(), cert, ca.certificate()),
                hello(token), locationServer, SETTINGS, Duration.ofSeconds(10));
    }

    /** Opens {@code count} connections at once, as an agent does for an assignment. */
    public List<DataConnection> connectAll(int count, String token) throws IOException {
        return DataChannelClient.connectAll(count, clientGroup, "127.0.0.1", server.port(),
                TlsContexts.client(agentKey.getPrivate(), agentCert, ca.certificate()), hello(token), locationServer, SETTINGS,
                Duration.ofSeconds(10));
    }

    private static Hello hello(String token) {
        return Hello.newBuilder().addVersions(DataChannelSettings.PROTOCOL_VERSION).setExecutionId("exec-1")
                .setLocationId("loc-1").setSessionToken(token).build();
    }

    @Override
    public void close() {
        remote.close();
        server.close();
        locationServer.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
