package dev.ferry.locations.s3;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connection pools S3 locations send their per-file requests on: one per store and way of
 * trusting it, shared by every location of the process and never closed, so a scheduled task's
 * runs reuse each other's connections and the code that makes them stays compiled.
 *
 * <p>At most {@link #MAX_SHARED} pools are shared; a location on yet another store gets a pool of
 * its own, which it closes. Each time a pool is handed out, the shared ones close their connections
 * idle too long, so a store no longer used does not keep sockets open.
 */
final class S3ConnectionPools {
    static final int MAX_SHARED = 32;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** By scheme, host, port and the PEM of the CA the server is trusted by ("" for the JDK's own trust). */
    private static final ConcurrentMap<String, Http1Pool> SHARED = new ConcurrentHashMap<>();

    private S3ConnectionPools() {
    }

    /** A pool and whether its user must close it. */
    record Lease(Http1Pool pool, boolean owned) {
    }

    /** The pool for the store at {@code url} (http or https), trusting {@code serverCertificate} (PEM) or else the JDK's CAs. */
    static Lease forStore(URI url, Optional<String> serverCertificate) {
        SHARED.values().forEach(Http1Pool::closeExpired);
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "https" -> true;
            case "http" -> false;
            default -> throw new IllegalArgumentException("an S3 endpoint must be http or https, not " + scheme);
        };
        int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
        String key = scheme + "://" + url.getHost() + ":" + port + "\n" + serverCertificate.orElse("");
        Http1Pool shared = SHARED.get(key);
        if (shared != null) {
            return new Lease(shared, false);
        }
        if (SHARED.size() >= MAX_SHARED) {
            return new Lease(build(url.getHost(), port, secure, serverCertificate), true);
        }
        return new Lease(SHARED.computeIfAbsent(key, k -> build(url.getHost(), port, secure, serverCertificate)), false);
    }

    private static Http1Pool build(String host, int port, boolean secure, Optional<String> serverCertificate) {
        return new Http1Pool(host, port, secure ? socketFactory(serverCertificate) : null, CONNECT_TIMEOUT_MILLIS);
    }

    private static SSLSocketFactory socketFactory(Optional<String> serverCertificate) {
        try {
            if (serverCertificate.isEmpty()) {
                return SSLContext.getDefault().getSocketFactory();
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, TrustedCertificates.trustManagers(serverCertificate.get()), null);
            return tls.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }
}
