package dev.ferry.locations;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A checksum of a file's whole content, with the algorithm that made it. Two checksums are equal
 * only when both the algorithm and the value are.
 *
 * @param value lower-case hex; for a checksum of parts followed by {@code -} and the number of
 *     parts, as S3 writes a multipart ETag
 */
public record ContentChecksum(ChecksumAlgorithm algorithm, String value) {
    private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PARTS = Pattern.compile("[0-9a-f]{32}-[1-9][0-9]{0,4}");

    public ContentChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
    }

    public static ContentChecksum of(ChecksumAlgorithm algorithm, byte[] digest) {
        return new ContentChecksum(algorithm, HexFormat.of().formatHex(digest));
    }

    /**
     * What an S3 ETag says of the content, if it is an MD5 (one request) or an MD5 of parts of
     * {@code partSize} (a multipart upload with as many parts as {@code size} makes). Quotes are
     * dropped. Empty when the ETag has another form, or a part count that this part size cannot
     * give: then it was written another way, and says nothing Ferry can compute at the source.
     * The caller rules out ETags that are not digests of the content (objects encrypted with KMS
     * or a customer's key) before asking.
     */
    public static java.util.Optional<ContentChecksum> fromS3ETag(String etag, long size, long partSize) {
        if (etag == null) {
            return java.util.Optional.empty();
        }
        String value = etag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        if (HEX_32.matcher(value).matches()) {
            return java.util.Optional.of(new ContentChecksum(ChecksumAlgorithm.MD5, value));
        }
        if (PARTS.matcher(value).matches() && partSize > 0) {
            long parts = Long.parseLong(value.substring(33));
            if (parts == partCount(size, partSize)) {
                return java.util.Optional.of(new ContentChecksum(ChecksumAlgorithm.md5OfParts(partSize), value));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * What S3's {@code x-amz-checksum-crc32c} (or a part list's {@code ChecksumCRC32C}) says of the
     * content: base64 of the big-endian CRC32C, for a multipart upload that of the parts' CRC32Cs
     * followed by {@code -} and the number of parts. Empty when the value is malformed or its part
     * count is not what {@code partSize} makes of {@code size}.
     */
    public static java.util.Optional<ContentChecksum> fromS3Crc32c(String value, long size, long partSize) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        int dash = value.indexOf('-');
        byte[] crc;
        try {
            crc = java.util.Base64.getDecoder().decode(dash < 0 ? value : value.substring(0, dash));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        if (crc.length != 4) {
            return java.util.Optional.empty();
        }
        String hex = HexFormat.of().formatHex(crc);
        if (dash < 0) {
            return java.util.Optional.of(new ContentChecksum(ChecksumAlgorithm.CRC32C, hex));
        }
        String count = value.substring(dash + 1);
        if (partSize <= 0 || !count.matches("[1-9][0-9]{0,4}") || Long.parseLong(count) != partCount(size, partSize)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ContentChecksum(ChecksumAlgorithm.crc32cOfParts(partSize), hex + "-" + count));
    }

    /** The parts a multipart upload of {@code size} bytes makes in parts of {@code partSize}: one at least. */
    private static long partCount(long size, long partSize) {
        return Math.max(1, (size + partSize - 1) / partSize);
    }

    /** As reports show it, such as {@code md5:9e107d9d372bb6826bd81d3542a419d6}. */
    @Override
    public String toString() {
        return algorithm.label() + ":" + value;
    }
}
