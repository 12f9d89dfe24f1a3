package dev.ferry.locations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * Computes a {@link ContentChecksum} over bytes given in order, by any {@link ChecksumAlgorithm}.
 * Not thread-safe; one file at a time.
 */
public final class ContentDigest {
    /** One running hash: MD5, SHA-256 or CRC32C. */
    private interface Hash {
        void update(byte[] bytes, int offset, int length);

        void update(ByteBuffer bytes);

        /** The hash of everything given since the last call; starts afresh. */
        byte[] finish();
    }

    private final ChecksumAlgorithm algorithm;
    private final Hash hash;
    /** For checksums of parts: the hash of the parts' hashes, and how far into the current part we are. */
    private final Hash ofParts;
    private long inPart;
    private long parts;
    private long total;

    public ContentDigest(ChecksumAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.hash = newHash(algorithm.kind());
        this.ofParts = algorithm.ofParts() ? newHash(algorithm.kind()) : null;
    }

    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    public void update(byte[] bytes, int offset, int length) {
        total += length;
        if (ofParts == null) {
            hash.update(bytes, offset, length);
            return;
        }
        while (length > 0) {
            int n = (int) Math.min(length, algorithm.partSize() - inPart);
            hash.update(bytes, offset, n);
            inPart += n;
            offset += n;
            length -= n;
            if (inPart == algorithm.partSize()) {
                endPart();
            }
        }
    }

    /** Takes the remaining bytes of {@code bytes}, leaving its position at its limit. */
    public void update(ByteBuffer bytes) {
        total += bytes.remaining();
        if (ofParts == null) {
            hash.update(bytes);
            return;
        }
        while (bytes.hasRemaining()) {
            int n = (int) Math.min(bytes.remaining(), algorithm.partSize() - inPart);
            int end = bytes.position() + n;
            hash.update(bytes.slice(bytes.position(), n));
            bytes.position(end);
            inPart += n;
            if (inPart == algorithm.partSize()) {
                endPart();
            }
        }
    }

    private void endPart() {
        byte[] part = hash.finish();
        ofParts.update(part, 0, part.length);
        parts++;
        inPart = 0;
    }

    /** The checksum of every byte given; the digest cannot be used afterwards. */
    public ContentChecksum finish() {
        if (ofParts == null) {
            return ContentChecksum.of(algorithm, hash.finish());
        }
        // A multipart upload has at least one part, and a part only where bytes are left for it.
        if (inPart > 0 || total == 0) {
            endPart();
        }
        return new ContentChecksum(algorithm, java.util.HexFormat.of().formatHex(ofParts.finish()) + "-" + parts);
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

    /** The CRC32C of {@code bytes}, big-endian, as S3 carries it. */
    public static byte[] crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc32cBytes(crc);
    }

    /** The value of {@code crc}, big-endian, as S3 carries it. */
    public static byte[] crc32cBytes(CRC32C crc) {
        int value = (int) crc.getValue();
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static Hash newHash(ChecksumAlgorithm.Kind kind) {
        return switch (kind) {
            case SHA256 -> messageDigest("SHA-256");
            case MD5, MD5_OF_PARTS -> messageDigest("MD5");
            case CRC32C, CRC32C_OF_PARTS -> new Hash() {
                private final CRC32C crc = new CRC32C();

                @Override
                public void update(byte[] bytes, int offset, int length) {
                    crc.update(bytes, offset, length);
                }

                @Override
                public void update(ByteBuffer bytes) {
                    crc.update(bytes);
                }

                @Override
                public byte[] finish() {
                    byte[] value = crc32cBytes(crc);
                    crc.reset();
                    return value;
                }
            };
        };
    }

    private static Hash messageDigest(String name) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + name, e);
        }
        return new Hash() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public void update(ByteBuffer bytes) {
                digest.update(bytes);
            }

            @Override
            public byte[] finish() {
                return digest.digest();
            }
        };
    }
}
