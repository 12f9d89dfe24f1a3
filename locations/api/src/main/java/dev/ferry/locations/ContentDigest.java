package dev.ferry.locations;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes a {@link ContentChecksum} over bytes given in order, by any {@link ChecksumAlgorithm}.
 * Not thread-safe; one file at a time.
 */
public final class ContentDigest {
    private final ChecksumAlgorithm algorithm;
    private final MessageDigest digest;
    /** For MD5_OF_PARTS: the MD5 of the parts' MD5s, and how far into the current part we are. */
    private final MessageDigest ofParts;
    private long inPart;
    private long parts;
    private long total;

    public ContentDigest(ChecksumAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.digest = newDigest(algorithm.kind() == ChecksumAlgorithm.Kind.SHA256 ? "SHA-256" : "MD5");
        this.ofParts = algorithm.kind() == ChecksumAlgorithm.Kind.MD5_OF_PARTS ? newDigest("MD5") : null;
    }

    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    public void update(byte[] bytes, int offset, int length) {
        total += length;
        if (ofParts == null) {
            digest.update(bytes, offset, length);
            return;
        }
        while (length > 0) {
            int n = (int) Math.min(length, algorithm.partSize() - inPart);
            digest.update(bytes, offset, n);
            inPart += n;
            offset += n;
            length -= n;
            if (inPart == algorithm.partSize()) {
                endPart();
            }
        }
    }

    private void endPart() {
        ofParts.update(digest.digest());
        parts++;
        inPart = 0;
    }

    /** The checksum of every byte given; the digest cannot be used afterwards. */
    public ContentChecksum finish() {
        if (ofParts == null) {
            return ContentChecksum.of(algorithm, digest.digest());
        }
        // A multipart upload has at least one part, and a part only where bytes are left for it.
        if (inPart > 0 || total == 0) {
            endPart();
        }
        return new ContentChecksum(algorithm, java.util.HexFormat.of().formatHex(ofParts.digest()) + "-" + parts);
    }

    /** Reads {@code in} to its end and returns the checksum of every byte. */
    public static ContentChecksum of(ChecksumAlgorithm algorithm, InputStream in) throws IOException {
        ContentDigest digest = new ContentDigest(algorithm);
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return digest.finish();
    }

    private static MessageDigest newDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + name, e);
        }
    }
}
