package dev.ferry.bench.jmh;

import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.KeyPairs;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TLS 1.3 as the data channel does it, JDK against BoringSSL (netty-tcnative): one side encrypts
 * 16 KiB of payload, the other decrypts it, in memory. Bytes per second of payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsBenchmark {
    private static final int RECORD = 16 * 1024;

    @Param({"JDK", "OPENSSL"})
    String provider;

    private SSLEngine client;
    private SSLEngine server;
    private ByteBuffer plain;
    private ByteBuffer wire;
    private ByteBuffer received;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("bench");
        KeyPair serverKeys = KeyPairs.generate();
        X509Certificate serverCert = ca.signServer(serverKeys.getPublic(), "server", List.of("localhost"), Duration.ofDays(1));
        KeyPair clientKeys = KeyPairs.generate();
        X509Certificate clientCert = ca.signClient(KeyPairs.csr(clientKeys, "client"), "client", Duration.ofDays(1));
        SslProvider which = SslProvider.valueOf(provider);
        SslContext serverContext = SslContextBuilder.forServer(serverKeys.getPrivate(), serverCert).sslProvider(which)
                .protocols("TLSv1.3").trustManager(ca.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        SslContext clientContext = SslContextBuilder.forClient().sslProvider(which).protocols("TLSv1.3")
                .keyManager(clientKeys.getPrivate(), clientCert).trustManager(ca.certificate()).build();
        client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "localhost", 1);
        server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        plain = ByteBuffer.allocateDirect(RECORD);
        plain.put(Payloads.of("random", RECORD)).flip();
        wire = ByteBuffer.allocateDirect(RECORD + 4096);
        received = ByteBuffer.allocateDirect(RECORD + 4096);
        handshake();
    }

    private void handshake() throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocateDirect(64 << 10);
        ByteBuffer toClient = ByteBuffer.allocateDirect(64 << 10);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocateDirect(64 << 10);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100 && !(done(client) && done(server)); i++) {
            step(client, empty, toServer, toClient, sink);
            step(server, empty, toClient, toServer, sink);
        }
        if (!done(client) || !done(server)) {
            throw new SSLException("the benchmark's handshake did not finish");
        }
    }

    private static boolean done(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || status == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink) throws SSLException {
        engine.wrap(empty, out);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(in, sink);
            sink.clear();
            if (result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    @Benchmark
    public int encryptAndDecrypt() throws SSLException {
        plain.rewind();
        wire.clear();
        client.wrap(plain, wire);
        wire.flip();
        received.clear();
        server.unwrap(wire, received);
        return received.position();
    }
}
