package dev.ferry.locations.s3;

import dev.ferry.locations.InvalidSettingsException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a location trusts for HTTPS in place of the JDK's authorities, from PEM text:
 * a private CA's certificate (or a chain, or the server's own). Host names are still checked
 * against the server's certificate.
 */
final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** Checks that {@code pem} holds at least one X.509 certificate; the error names {@code field}. */
    static void check(String pem, String field) {
        try {
            if (parse(pem).isEmpty()) {
                throw new InvalidSettingsException(field, "holds no certificate; give PEM text (-----BEGIN CERTIFICATE-----)");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof InvalidSettingsException ise) {
                throw ise;
            }
            throw new InvalidSettingsException(field, "is not a PEM certificate: " + e.getMessage());
        }
    }

    static TrustManager[] trustManagers(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : parse(pem)) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("checked certificates could not be loaded", e);
        }
    }

    private static Collection<? extends Certificate> parse(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
