package dev.ferry.engine.wire;

import com.google.protobuf.ByteString;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.DeviceNode;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.HardLink;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.protocol.data.Metadata;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Between the location SPI's values and their protobuf form on the wire. */
public final class WireConverters {
    private WireConverters() {
    }

    public static Metadata toWire(FileMetadata metadata) {
        Metadata.Builder b = Metadata.newBuilder();
        metadata.mtime().ifPresent(t -> b.setMtimeNanos(nanos(t)));
        metadata.atime().ifPresent(t -> b.setAtimeNanos(nanos(t)));
        metadata.mode().ifPresent(b::setMode);
        metadata.uid().ifPresent(b::setUid);
        metadata.gid().ifPresent(b::setGid);
        metadata.owner().ifPresent(b::setOwnerName);
        metadata.group().ifPresent(b::setGroupName);
        metadata.linkTarget().ifPresent(b::setLinkTarget);
        metadata.device().ifPresent(d -> b.setDevice(d.toString()));
        metadata.hardLink().ifPresent(h -> b.setFileId(h.fileId()).setLinkCount(h.linkCount()));
        metadata.fileAttributes().ifPresent(b::setFileAttributes);
        metadata.securityDescriptor().ifPresent(d -> b.setSecurityDescriptor(ByteString.copyFrom(d.bytes()))
                .setSecurityParts(SecurityDescriptor.Part.bits(d.parts())));
        return b.build();
    }

    public static FileMetadata fromWire(Metadata m) {
        return new FileMetadata(
                m.hasMtimeNanos() ? Optional.of(instant(m.getMtimeNanos())) : Optional.empty(),
                m.hasAtimeNanos() ? Optional.of(instant(m.getAtimeNanos())) : Optional.empty(),
                m.hasMode() ? OptionalInt.of(m.getMode() & 07777) : OptionalInt.empty(),
                m.hasUid() ? OptionalLong.of(m.getUid()) : OptionalLong.empty(),
                m.hasGid() ? OptionalLong.of(m.getGid()) : OptionalLong.empty(),
                m.hasOwnerName() ? Optional.of(m.getOwnerName()) : Optional.empty(),
                m.hasGroupName() ? Optional.of(m.getGroupName()) : Optional.empty(),
                m.hasLinkTarget() ? Optional.of(m.getLinkTarget()) : Optional.empty(),
                m.hasDevice() ? Optional.of(DeviceNode.parse(m.getDevice())) : Optional.empty(),
                m.hasFileId() && m.getLinkCount() > 1 ? Optional.of(new HardLink(m.getFileId(), m.getLinkCount()))
                        : Optional.empty(),
                Optional.empty(),
                m.hasFileAttributes() ? OptionalInt.of(m.getFileAttributes()) : OptionalInt.empty(),
                m.hasSecurityDescriptor() ? Optional.of(securityDescriptor(m.getSecurityDescriptor(), m.getSecurityParts()))
                        : Optional.empty());
    }

    /** A descriptor from the wire; a malformed one is refused like any other bad header. */
    public static SecurityDescriptor securityDescriptor(ByteString bytes, int parts) {
        return SecurityDescriptor.of(SecurityDescriptor.Part.fromBits(parts), bytes.toByteArray());
    }

    public static dev.ferry.protocol.data.ChecksumAlgorithm toWire(ChecksumAlgorithm algorithm) {
        return dev.ferry.protocol.data.ChecksumAlgorithm.newBuilder().setName(algorithm.label())
                .setPartSize(algorithm.partSize()).build();
    }

    /** Unset (a default instance) is SHA-256; a name Ferry does not know is a protocol error. */
    public static ChecksumAlgorithm fromWire(dev.ferry.protocol.data.ChecksumAlgorithm algorithm) {
        try {
            return switch (algorithm.getName()) {
                case "", "sha256" -> ChecksumAlgorithm.SHA256;
                case "md5" -> ChecksumAlgorithm.MD5;
                case "md5-of-parts" -> ChecksumAlgorithm.md5OfParts(algorithm.getPartSize());
                case "crc32c" -> ChecksumAlgorithm.CRC32C;
                case "crc32c-of-parts" -> ChecksumAlgorithm.crc32cOfParts(algorithm.getPartSize());
                default -> throw new IllegalArgumentException("unknown checksum algorithm '" + algorithm.getName() + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new LocationException("PROTOCOL", e.getMessage(), e);
        }
    }

    public static dev.ferry.protocol.data.Checksum toWire(ContentChecksum checksum) {
        return dev.ferry.protocol.data.Checksum.newBuilder().setAlgorithm(toWire(checksum.algorithm()))
                .setValue(checksum.value()).build();
    }

    public static ContentChecksum fromWire(dev.ferry.protocol.data.Checksum checksum) {
        return new ContentChecksum(fromWire(checksum.getAlgorithm()), checksum.getValue());
    }

    public static dev.ferry.protocol.data.Entry toWire(Entry entry) {
        dev.ferry.protocol.data.Entry.Builder b = dev.ferry.protocol.data.Entry.newBuilder();
        entry.checksum().ifPresent(c -> b.setChecksum(toWire(c)));
        return b
                .setKey(entry.key())
                .setType(switch (entry.type()) {
                    case FILE -> dev.ferry.protocol.data.EntryType.ENTRY_TYPE_FILE;
                    case DIRECTORY -> dev.ferry.protocol.data.EntryType.ENTRY_TYPE_DIRECTORY;
                    case SYMLINK -> dev.ferry.protocol.data.EntryType.ENTRY_TYPE_SYMLINK;
                    case OTHER -> dev.ferry.protocol.data.EntryType.ENTRY_TYPE_OTHER;
                })
                .setSize(entry.size())
                .setMetadata(toWire(entry.metadata()))
                .build();
    }

    public static Entry fromWire(dev.ferry.protocol.data.Entry e) {
        EntryType type = switch (e.getType()) {
            case ENTRY_TYPE_FILE -> EntryType.FILE;
            case ENTRY_TYPE_DIRECTORY -> EntryType.DIRECTORY;
            case ENTRY_TYPE_SYMLINK -> EntryType.SYMLINK;
            default -> EntryType.OTHER;
        };
        return new Entry(e.getKey(), type, e.getSize(), fromWire(e.getMetadata()),
                e.hasChecksum() ? Optional.of(fromWire(e.getChecksum())) : Optional.empty());
    }

    /** Nanoseconds since the epoch; exact for any time a file system records (years 1678 to 2262). */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
