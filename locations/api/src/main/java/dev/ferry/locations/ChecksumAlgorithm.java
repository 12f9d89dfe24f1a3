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
 * </ul>
 *
 * @param partSize the part size of {@link Kind#MD5_OF_PARTS}; zero for the others
 */
public record ChecksumAlgorithm(Kind kind, long partSize) {
    public enum Kind { SHA256, MD5, MD5_OF_PARTS }

    public static final ChecksumAlgorithm SHA256 = new ChecksumAlgorithm(Kind.SHA256, 0);
    public static final ChecksumAlgorithm MD5 = new ChecksumAlgorithm(Kind.MD5, 0);

    public ChecksumAlgorithm {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.MD5_OF_PARTS) != (partSize > 0)) {
            throw new IllegalArgumentException("a part size belongs to MD5_OF_PARTS, and only to it: " + kind + " " + partSize);
        }
    }

    public static ChecksumAlgorithm md5OfParts(long partSize) {
        return new ChecksumAlgorithm(Kind.MD5_OF_PARTS, partSize);
    }

    /** As reports show it: {@code sha256}, {@code md5}, {@code md5-of-parts}. */
    public String label() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return kind == Kind.MD5_OF_PARTS ? label() + "(" + partSize + ")" : label();
    }
}
