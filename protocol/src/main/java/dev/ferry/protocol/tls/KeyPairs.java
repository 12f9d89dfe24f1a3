package dev.ferry.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Key pairs (EC P-256: small certificates, fast handshakes) and signing requests. */
public final class KeyPairs {
    static final String SIGNATURE = "SHA256withECDSA";

    private KeyPairs() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 keys are not available", e);
        }
    }

    /** A signing request for {@code keyPair}; the CA chooses the subject it certifies. */
    public static PKCS10CertificationRequest csr(KeyPair keyPair, String commonName) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(keyPair.getPrivate());
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), keyPair.getPublic()).build(signer);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a request", e);
        }
    }
}
