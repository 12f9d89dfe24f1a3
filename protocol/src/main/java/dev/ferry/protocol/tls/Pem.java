package dev.ferry.protocol.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text for certificates, PKCS#8 private keys and certificate signing requests. */
public final class Pem {
    private Pem() {
    }

    public static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    public static X509Certificate certificate(String pem) {
        Object object = read(pem, "certificate");
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("PEM text holds no certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate does not decode: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        Object object = read(pem, "private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("private key does not decode: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("PEM text holds no private key");
    }

    public static PKCS10CertificationRequest csr(String pem) {
        Object object = read(pem, "certificate signing request");
        if (!(object instanceof PKCS10CertificationRequest csr)) {
            throw new IllegalArgumentException("PEM text holds no certificate signing request");
        }
        return csr;
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IllegalArgumentException("PEM text holds no " + what);
            }
            return object;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid PEM: " + e.getMessage(), e);
        }
    }
}
