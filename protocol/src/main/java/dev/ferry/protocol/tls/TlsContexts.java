package dev.ferry.protocol.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * TLS 1.3 contexts for the data channel: each side presents a certificate from the control plane's
 * CA and trusts only that CA. BoringSSL through netty-tcnative when it loads, the JDK otherwise.
 */
public final class TlsContexts {
    private static final String TLS_13 = "TLSv1.3";

    private TlsContexts() {
    }

    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext server(PrivateKey key, X509Certificate certificate, X509Certificate trustedCa) {
        try {
            return SslContextBuilder.forServer(key, certificate)
                    .sslProvider(provider())
                    .protocols(TLS_13)
                    .trustManager(trustedCa)
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the server TLS context", e);
        }
    }

    public static SslContext client(PrivateKey key, X509Certificate certificate, X509Certificate trustedCa) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(provider())
                    .protocols(TLS_13)
                    .keyManager(key, certificate)
                    .trustManager(trustedCa)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }
}
