package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DelayProxyTest {
    /** Bytes arrive whole and in order, and an answer takes at least the round trip. */
    @Test
    void relaysEveryByteInOrderAfterTheDelayEachWay() throws Exception {
        byte[] data = new byte[3_000_000];
        new Random(7).nextBytes(data);
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); DelayProxy proxy = new DelayProxy(40)) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int port = proxy.relayLoopback(echo.getLocalPort());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                long start = System.nanoTime();
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.getInputStream().readAllBytes();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.getOutputStream().write(data);
                client.shutdownOutput();
                assertThat(back.get()).isEqualTo(data);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(80);
            }
            server.get();
        }
    }
}
