package dev.ferry.controlplane.security;

import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.KeyPairs;
import dev.ferry.protocol.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The control plane's certificate authority and its own server certificate, kept in the data
 * directory: {@code ca.key} (0600) and {@code ca.crt}, created on first start; the server key and
 * certificate are issued anew at each start for the host names it is reached by.
 */
public final class ControlPlanePki {
    private final CertificateAuthority ca;
    private final PrivateKey serverKey;
    private final X509Certificate serverCertificate;
    private final Path caCertificateFile;

    private ControlPlanePki(CertificateAuthority ca, PrivateKey serverKey, X509Certificate serverCertificate, Path caFile) {
        this.ca = ca;
        this.serverKey = serverKey;
        this.serverCertificate = serverCertificate;
        this.caCertificateFile = caFile;
    }

    public static ControlPlanePki load(Path dataDir, List<String> hosts) {
        Path keyFile = dataDir.resolve("ca.key");
        Path certFile = dataDir.resolve("ca.crt");
        CertificateAuthority ca;
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            ca = new CertificateAuthority(Pem.privateKey(PrivateFiles.read(keyFile)), Pem.certificate(PrivateFiles.read(certFile)));
        } else {
            ca = CertificateAuthority.create("Ferry control plane CA");
            PrivateFiles.write(keyFile, Pem.write(ca.privateKey()));
            PrivateFiles.writePublic(certFile, Pem.write(ca.certificate()));
        }
        KeyPair server = KeyPairs.generate();
        X509Certificate serverCert = ca.signServer(server.getPublic(), "ferry-control-plane", hosts, Duration.ofDays(397));
        return new ControlPlanePki(ca, server.getPrivate(), serverCert, certFile);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public PrivateKey serverKey() {
        return serverKey;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    public Path caCertificateFile() {
        return caCertificateFile;
    }
}
