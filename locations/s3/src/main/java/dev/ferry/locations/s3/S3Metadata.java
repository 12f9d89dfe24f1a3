package dev.ferry.locations.s3;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.MetadataText;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * File-system metadata kept in object user metadata, so that a transfer back to a file system
 * restores it. Times are nanoseconds since the epoch with an {@code ns} suffix, permissions are
 * octal, owners are numeric.
 */
final class S3Metadata {
    static final String MTIME = "file-mtime";
    static final String ATIME = "file-atime";
    static final String PERMISSIONS = "file-permissions";
    static final String OWNER = "file-owner";
    static final String GROUP = "file-group";
    static final String OWNER_NAME = "file-owner-name";
    static final String GROUP_NAME = "file-group-name";
    /** A symbolic link is kept as an empty object that says where it points. */
    static final String LINK_TARGET = "file-symlink-target";
    /** A device or FIFO likewise, as {@code c MAJOR MINOR}, {@code b MAJOR MINOR} or {@code p}. */
    static final String DEVICE = "file-device";

    private static final String ENCODED_PREFIX = "=?UTF-8?B?";

    private S3Metadata() {
    }

    static Map<String, String> toUserMetadata(FileMetadata metadata) {
        Map<String, String> user = new HashMap<>();
        metadata.mtime().ifPresent(t -> user.put(MTIME, MetadataText.nanos(t)));
        metadata.atime().ifPresent(t -> user.put(ATIME, MetadataText.nanos(t)));
        metadata.mode().ifPresent(m -> user.put(PERMISSIONS, MetadataText.mode(m)));
        metadata.uid().ifPresent(u -> user.put(OWNER, Long.toString(u)));
        metadata.gid().ifPresent(g -> user.put(GROUP, Long.toString(g)));
        metadata.owner().ifPresent(n -> user.put(OWNER_NAME, n));
        metadata.group().ifPresent(n -> user.put(GROUP_NAME, n));
        metadata.linkTarget().ifPresent(t -> user.put(LINK_TARGET, t));
        metadata.device().ifPresent(d -> user.put(DEVICE, d.toString()));
        return user;
    }

    /**
     * A value as an HTTP header can carry it. Header values are ASCII; a value with anything else
     * (an owner's name, a link target in UTF-8), or with spaces at its ends that a header would
     * lose, or that starts like an encoded word, is sent as an RFC 2047 encoded word, as S3
     * documents for non-ASCII metadata.
     */
    static String toHeaderValue(String value) {
        boolean plain = !value.startsWith("=?") && (value.isEmpty() || value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ');
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c < 0x7f;
        }
        return plain ? value : ENCODED_PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** The value a header carried, decoding an RFC 2047 UTF-8 encoded word. */
    static String fromHeaderValue(String header) {
        if (header.startsWith(ENCODED_PREFIX) && header.endsWith("?=") && header.length() >= ENCODED_PREFIX.length() + 2) {
            try {
                return new String(Base64.getDecoder().decode(header.substring(ENCODED_PREFIX.length(), header.length() - 2)),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                return header;
            }
        }
        return header;
    }

    /** Reads what it can; a value another tool wrote in another form is left out, not guessed. */
    static FileMetadata fromUserMetadata(Map<String, String> user) {
        return new FileMetadata(
                MetadataText.instant(user.get(MTIME)),
                MetadataText.instant(user.get(ATIME)),
                MetadataText.mode(user.get(PERMISSIONS)),
                MetadataText.number(user.get(OWNER)),
                MetadataText.number(user.get(GROUP)),
                Optional.ofNullable(user.get(OWNER_NAME)).filter(n -> !n.isBlank()),
                Optional.ofNullable(user.get(GROUP_NAME)).filter(n -> !n.isBlank()),
                Optional.ofNullable(user.get(LINK_TARGET)).filter(t -> !t.isEmpty()),
                MetadataText.device(user.get(DEVICE)),
                Optional.empty());
    }
}
