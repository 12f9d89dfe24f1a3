package dev.ferry.locations.s3;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP clients S3 locations send their per-file requests on, one per way of trusting the
 * server, shared by every location of the process and never closed. A client of its own per
 * location (per execution) cost more than its connections: each has a selector thread whose loop
 * the JIT compiles anew, and on the bench a scheduled task's third run still spent 2 s of the
 * control plane's 7 s of CPU compiling it and the request path around it. A shared client also
 * keeps its idle connections to a store from one run to the next.
 *
 * <p>At most {@link #MAX_SHARED} clients are shared (the default trust and a few private CAs);
 * a location with yet another CA gets a client of its own, which it closes.
 */
final class S3HttpClients {
    static final int MAX_SHARED = 8;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** By the PEM of the CA the server is trusted by; "" for the JDK's own trust. */
    private static final ConcurrentMap<String, HttpClient> SHARED = new ConcurrentHashMap<>();

    private S3HttpClients() {
    }

    /** A client and whether its user must close it. */
    record Lease(HttpClient client, boolean owned) {
    }

    /** A client that trusts {@code serverCertificate} (PEM), or the JDK's CAs when empty. */
    static Lease forServer(Optional<String> serverCertificate) {
        String key = serverCertificate.orElse("");
        HttpClient shared = SHARED.get(key);
        if (shared != null) {
            return new Lease(shared, false);
        }
        if (SHARED.size() >= MAX_SHARED) {
            return new Lease(build(serverCertificate), true);
        }
        return new Lease(SHARED.computeIfAbsent(key, k -> build(serverCertificate)), false);
    }

    private static HttpClient build(Optional<String> serverCertificate) {
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        serverCertificate.ifPresent(pem -> {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, TrustedCertificates.trustManagers(pem), null);
                http.sslContext(tls);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available", e);
            }
        });
        return http.build();
    }
}
