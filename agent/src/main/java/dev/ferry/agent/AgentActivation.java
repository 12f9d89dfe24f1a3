package dev.ferry.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.tls.KeyPairs;
import dev.ferry.protocol.tls.Pem;
import dev.ferry.protocol.tls.TrustedHttps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

/**
 * Activates an agent: makes its key pair here, sends only a signing request with the activation
 * key, and keeps the certificate the control plane's CA issues.
 */
public final class AgentActivation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentActivation() {
    }

    /** Thrown with the control plane's own explanation when activation is refused. */
    public static final class ActivationException extends Exception {
        private static final long serialVersionUID = 1L;

        public ActivationException(String message) {
            super(message);
        }
    }

    /**
     * Downloads the control plane's CA certificate and accepts it only if its SHA-256 fingerprint
     * is {@code fingerprint}: the TLS connection for the download proves nothing, the fingerprint
     * (read from the control plane's own output) does.
     */
    public static X509Certificate fetchPinnedCa(URI controlPlane, String fingerprint)
            throws ActivationException, IOException, InterruptedException {
        javax.net.ssl.SSLContext anyServer;
        try {
            anyServer = javax.net.ssl.SSLContext.getInstance("TLS");
            anyServer.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpClient http = HttpClient.newBuilder().sslContext(anyServer).connectTimeout(Duration.ofSeconds(15)).build();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(controlPlane.resolve("/ca.crt")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new ActivationException("cannot reach the control plane at " + controlPlane);
        }
        X509Certificate ca;
        try {
            ca = Pem.certificate(response.body());
        } catch (IllegalArgumentException e) {
            throw new ActivationException(controlPlane + "/ca.crt did not return a certificate");
        }
        String actual = dev.ferry.protocol.tls.CertificateAuthority.fingerprint(ca);
        if (!actual.equalsIgnoreCase(fingerprint.trim())) {
            throw new ActivationException("the control plane's CA has fingerprint " + actual + ", not the expected " + fingerprint.trim()
                    + "; refusing to trust it");
        }
        return ca;
    }

    public static AgentIdentity activate(URI controlPlane, String activationKey, String name, X509Certificate trustedCa, Path agentDir)
            throws ActivationException, IOException, InterruptedException {
        KeyPair keyPair = KeyPairs.generate();
        String body = JSON.writeValueAsString(Map.of("activationKey", activationKey, "name", name,
                "csr", Pem.write(KeyPairs.csr(keyPair, name))));
        HttpClient http = HttpClient.newBuilder().sslContext(TrustedHttps.trusting(trustedCa)).connectTimeout(Duration.ofSeconds(15)).build();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(controlPlane.resolve("/v1/agents/activate"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new ActivationException("the control plane at " + controlPlane + " is not certified by the given CA: " + e.getMessage());
        } catch (java.net.ConnectException e) {
            throw new ActivationException("cannot reach the control plane at " + controlPlane);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(response.body().isBlank() ? "{}" : response.body(), Map.class);
        if (response.statusCode() != 201) {
            throw new ActivationException("activation refused (" + response.statusCode() + "): "
                    + json.getOrDefault("message", response.body()));
        }
        X509Certificate certificate = Pem.certificate((String) json.get("certificate"));
        X509Certificate ca = Pem.certificate((String) json.get("caCertificate"));
        if (!ca.equals(trustedCa)) {
            throw new ActivationException("the control plane answered with a CA other than the one trusted");
        }
        if (!certificate.getPublicKey().equals(keyPair.getPublic())) {
            throw new ActivationException("the certificate the control plane returned is not for this agent's key");
        }
        AgentIdentity identity = new AgentIdentity((String) json.get("agentId"), name, controlPlane.toString(),
                keyPair.getPrivate(), certificate, ca);
        identity.save(agentDir);
        return identity;
    }
}
