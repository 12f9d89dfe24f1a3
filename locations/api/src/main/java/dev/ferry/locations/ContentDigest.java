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

    /**
     * Takes the remaining bytes of {@code bytes}, whose CRC32C the caller has computed already,
     * leaving its position at its limit. A CRC32C digest combines that value instead of reading the
     * bytes again (see {@link Crc32c}), unless they cross the end of a part; any other digest reads
     * them.
     */
    public void update(ByteBuffer bytes, int crc32c) {
        int n = bytes.remaining();
        if (hash instanceof Crc32cHash crc && (ofParts == null || n <= algorithm.partSize() - inPart)) {
            crc.combine(crc32c, n);
            total += n;
            bytes.position(bytes.limit());
            if (ofParts != null) {
                inPart += n;
                if (inPart == algorithm.partSize()) {
                    endPart();
                }
            }
            return;
        }
        update(bytes);
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
        return crc32cBytes((int) crc.getValue());
    }

    /** A CRC32C's value, big-endian, as S3 carries it. */
    public static byte[] crc32cBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static Hash newHash(ChecksumAlgorithm.Kind kind) {
        return switch (kind) {
            case SHA256 -> messageDigest("SHA-256");
            case MD5, MD5_OF_PARTS -> messageDigest("MD5");
            case CRC32C, CRC32C_OF_PARTS -> new Crc32cHash();
        };
    }

    /**
     * A running CRC32C that also takes runs whose CRC is known already ({@link #combine}). Bytes
     * go into a CRC of their own, folded into the value only when a known run or the end comes,
     * so that bytes given in many small updates cost no combination each.
     */
    private static final class Crc32cHash implements Hash {
        private final CRC32C pending = new CRC32C();
        private long pendingLength;
        private int value; // the CRC32C of nothing

        @Override
        public void update(byte[] bytes, int offset, int length) {
            pending.update(bytes, offset, length);
            pendingLength += length;
        }

        @Override
        public void update(ByteBuffer bytes) {
            pendingLength += bytes.remaining();
            pending.update(bytes);
        }

        void combine(int crc32c, long length) {
            fold();
            value = Crc32c.combine(value, crc32c, length);
        }

        private void fold() {
            if (pendingLength > 0) {
                value = Crc32c.combine(value, (int) pending.getValue(), pendingLength);
                pending.reset();
                pendingLength = 0;
            }
        }

        @Override
        public byte[] finish() {
            fold();
            byte[] bytes = crc32cBytes(value);
            value = 0;
            return bytes;
        }
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
