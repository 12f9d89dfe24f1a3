package dev.ferry.locations;

import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link ContentChecksum} is computed over a file's whole content.
 *
 * <ul>
 *   <li>{@link Kind#SHA256}: Ferry's own, for reading a file back where the store keeps no checksum.
 *   <li>{@link Kind#MD5}: what S3 and S3-compatible stores give as the ETag of an object written in
 *       one request (unless encrypted with KMS or a customer's key).
 *   <li>{@link Kind#MD5_OF_PARTS}: the ETag of an object written by multipart upload in parts of
 *       {@code partSize} bytes (the last part shorter): the MD5 of the parts' binary MD5s, then
 *       {@code -} and the number of parts.
 *   <li>{@link Kind#CRC32C}: the CRC32C S3 checks and keeps for an object written in one request
 *       that carried one ({@code x-amz-checksum-crc32c}); unlike the ETag, also under KMS keys.
 *   <li>{@link Kind#CRC32C_OF_PARTS}: S3's composite CRC32C of a multipart upload whose parts
 *       carried theirs: the CRC32C of the parts' big-endian CRC32Cs, then {@code -} and the number
 *       of parts.
 * </ul>
 *
 * @param partSize the part size of the {@code _OF_PARTS} kinds; zero for the others
 */
public record ChecksumAlgorithm(Kind kind, long partSize) {
    public enum Kind { SHA256, MD5, MD5_OF_PARTS, CRC32C, CRC32C_OF_PARTS }

    public static final ChecksumAlgorithm SHA256 = new ChecksumAlgorithm(Kind.SHA256, 0);
    public static final ChecksumAlgorithm MD5 = new ChecksumAlgorithm(Kind.MD5, 0);
    public static final ChecksumAlgorithm CRC32C = new ChecksumAlgorithm(Kind.CRC32C, 0);

    public ChecksumAlgorithm {
        Objects.requireNonNull(kind, "kind");
        if (ofParts(kind) != (partSize > 0)) {
            throw new IllegalArgumentException("a part size belongs to a checksum of parts, and only to it: " + kind + " " + partSize);
        }
    }

    private static boolean ofParts(Kind kind) {
        return kind == Kind.MD5_OF_PARTS || kind == Kind.CRC32C_OF_PARTS;
    }

    /** Whether the checksum is one of parts: the parts' checksums checksummed, and their count. */
    public boolean ofParts() {
        return ofParts(kind);
    }

    public static ChecksumAlgorithm md5OfParts(long partSize) {
        return new ChecksumAlgorithm(Kind.MD5_OF_PARTS, partSize);
    }

    public static ChecksumAlgorithm crc32cOfParts(long partSize) {
        return new ChecksumAlgorithm(Kind.CRC32C_OF_PARTS, partSize);
    }

    /** As reports show it: {@code sha256}, {@code md5}, {@code md5-of-parts}, {@code crc32c}, {@code crc32c-of-parts}. */
    public String label() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return ofParts() ? label() + "(" + partSize + ")" : label();
    }
}
