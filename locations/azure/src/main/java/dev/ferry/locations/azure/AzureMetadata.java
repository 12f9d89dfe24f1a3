package dev.ferry.locations.azure;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.MetadataText;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * File-system metadata kept in blob metadata, so that a transfer back to a file system restores
 * it. The names are those of the S3 driver with underscores, since Azure metadata names must be
 * C# identifiers; values are HTTP header text, so names and link targets are percent-encoded
 * UTF-8. Times are nanoseconds since the epoch with an {@code ns} suffix.
 */
final class AzureMetadata {
    static final String MTIME = "file_mtime";
    static final String ATIME = "file_atime";
    static final String PERMISSIONS = "file_permissions";
    static final String OWNER = "file_owner";
    static final String GROUP = "file_group";
    static final String OWNER_NAME = "file_owner_name";
    static final String GROUP_NAME = "file_group_name";
    static final String LINK_TARGET = "file_symlink_target";
    static final String DEVICE = "file_device";

    private AzureMetadata() {
    }

    static Map<String, String> toBlobMetadata(FileMetadata metadata) {
        Map<String, String> out = new HashMap<>();
        metadata.mtime().ifPresent(t -> out.put(MTIME, MetadataText.nanos(t)));
        metadata.atime().ifPresent(t -> out.put(ATIME, MetadataText.nanos(t)));
        metadata.mode().ifPresent(m -> out.put(PERMISSIONS, MetadataText.mode(m)));
        metadata.uid().ifPresent(u -> out.put(OWNER, Long.toString(u)));
        metadata.gid().ifPresent(g -> out.put(GROUP, Long.toString(g)));
        metadata.owner().ifPresent(n -> out.put(OWNER_NAME, encode(n)));
        metadata.group().ifPresent(n -> out.put(GROUP_NAME, encode(n)));
        metadata.linkTarget().ifPresent(t -> out.put(LINK_TARGET, encode(t)));
        metadata.device().ifPresent(d -> out.put(DEVICE, d.toString()));
        return out;
    }

    /** Reads what it can; a value another tool wrote in another form is left out, not guessed. Names are case-insensitive. */
    static FileMetadata fromBlobMetadata(Map<String, String> raw) {
        Map<String, String> md = new HashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> md.put(k.toLowerCase(java.util.Locale.ROOT), v));
        }
        return new FileMetadata(MetadataText.instant(md.get(MTIME)), MetadataText.instant(md.get(ATIME)),
                MetadataText.mode(md.get(PERMISSIONS)), MetadataText.number(md.get(OWNER)), MetadataText.number(md.get(GROUP)),
                decode(md.get(OWNER_NAME)), decode(md.get(GROUP_NAME)), decode(md.get(LINK_TARGET)),
                MetadataText.device(md.get(DEVICE)), Optional.empty());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Optional<String> decode(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
