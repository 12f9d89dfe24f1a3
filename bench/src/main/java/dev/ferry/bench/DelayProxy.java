package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay that adds a fixed delay to each direction, for the round-trip time of an emulated
 * WAN: this kernel has no netem, and the link's rate is {@code tc tbf}'s. Every byte read from one
 * side is written to the other {@code delay} later, in order. Each direction holds at most
 * {@link #MAX_QUEUED} bytes in flight, so a sender faster than the far side is slowed as it would
 * be by a real path's window.
 *
 * <pre>
 *   DelayProxy DELAY_MS LISTEN_HOST:PORT=TARGET_HOST:PORT...
 * </pre>
 *
 * Runs until killed; prints "ready" once every listener is open.
 */
public final class DelayProxy implements AutoCloseable {
    /** Above any bandwidth-delay product the bench uses (1 Gbit/s for 80 ms is 10 MB). */
    static final int MAX_QUEUED = 16 << 20;
    private static final int BUFFER = 64 << 10;

    private final long delayNanos;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** @param oneWayDelayMillis added to each direction: half the round trip */
    public DelayProxy(long oneWayDelayMillis) {
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(oneWayDelayMillis);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DelayProxy DELAY_MS LISTEN_HOST:PORT=TARGET_HOST:PORT...");
            System.exit(2);
        }
        DelayProxy proxy = new DelayProxy(Long.parseLong(args[0]));
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            proxy.relay(address(pair[0]), address(pair[1]));
        }
        System.out.println("ready");
        Thread.currentThread().join();
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Listens on {@code listen}; each connection is relayed to {@code target}. Returns the bound port. */
    public int relay(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen);
        listeners.add(server);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    threads.execute(() -> connect(client, target));
                } catch (IOException e) {
                    return; // Closed.
                }
            }
        });
        return server.getLocalPort();
    }

    /** A relay on loopback, for tests: returns the port to connect to. */
    public int relayLoopback(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return relay(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, targetPort));
    }

    private void connect(Socket client, InetSocketAddress target) {
        Socket server = new Socket();
        try {
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            server.connect(target);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable ended = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(server);
            }
        };
        Runnable failed = () -> {
            closeQuietly(client);
            closeQuietly(server);
        };
        direction(client, server, ended, failed);
        direction(server, client, ended, failed);
    }

    private record Piece(byte[] bytes, int length, long due) {
    }

    /** One direction: a reader stamps what arrives, a writer sends it when due; an end is passed on as a half-close. */
    private void direction(Socket from, Socket to, Runnable ended, Runnable failed) {
        LinkedBlockingQueue<Piece> queue = new LinkedBlockingQueue<>();
        Semaphore room = new Semaphore(MAX_QUEUED);
        threads.execute(() -> {
            try {
                // Not closed here: closing a socket's stream closes the socket, and the other direction may go on.
                InputStream in = from.getInputStream();
                while (true) {
                    byte[] buffer = new byte[BUFFER];
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    room.acquire(n);
                    queue.put(new Piece(buffer, n, System.nanoTime() + delayNanos));
                }
            } catch (IOException | InterruptedException e) {
                // The connection ended; the writer passes that on.
            } finally {
                queue.add(new Piece(new byte[0], -1, System.nanoTime() + delayNanos));
            }
        });
        threads.execute(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Piece piece = queue.take();
                    long wait = piece.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (piece.length < 0) {
                        to.shutdownOutput();
                        ended.run();
                        return;
                    }
                    out.write(piece.bytes, 0, piece.length);
                    room.release(piece.length);
                }
            } catch (IOException | InterruptedException e) {
                failed.run();
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do.
        }
    }

    @Override
    public void close() {
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        threads.shutdownNow();
    }
}
