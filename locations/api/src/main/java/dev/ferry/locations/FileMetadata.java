package dev.ferry.locations;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * File-system metadata that travels with a file. Each part is optional: a location that does not
 * know a value leaves it empty, and a writer leaves the destination's default in its place.
 *
 * @param mtime modification time, to the nanosecond where the source keeps it
 * @param atime access time
 * @param mode permission bits and the set-id and sticky bits ({@code 07777}), never the type bits
 * @param uid numeric owner
 * @param gid numeric group
 * @param owner the owner's user name, where the source knows one (for Uid=NAME and BOTH)
 * @param group the group's name, likewise
 * @param linkTarget what a symbolic link points to, as written in the link; present only for links
 * @param device the node a device or FIFO is; present only for those
 * @param hardLink for a file with more than one name, which file it is; never written, only listed
 * @param objectTags an object's tags, exactly (an empty map: none), where they were read with
 *     {@link Location#objectTags} or are to be written; empty when not known, and then a put
 *     writes none and a metadata update leaves the object's own. Never filled in by list or stat,
 *     since tags cost a request of their own.
 * @param fileAttributes Windows file attributes, of those {@link #CARRIED_ATTRIBUTES} names, where
 *     the store keeps them ({@link Capability#WINDOWS_ATTRIBUTES}); listed like times
 * @param securityDescriptor a Windows security descriptor, where it was read with
 *     {@link Location#securityDescriptor} or is to be written; like tags, never listed
 */
public record FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid,
        OptionalLong gid, Optional<String> owner, Optional<String> group, Optional<String> linkTarget,
        Optional<DeviceNode> device, Optional<HardLink> hardLink, Optional<Map<String, String>> objectTags,
        OptionalInt fileAttributes, Optional<SecurityDescriptor> securityDescriptor) {

    /**
     * The Windows attributes that travel: read-only, hidden, system, archive and not content
     * indexed. The others say what a file is (directory, reparse point, sparse, compressed,
     * encrypted) and are the store's to set, not a copier's.
     */
    public static final int CARRIED_ATTRIBUTES = 0x1 | 0x2 | 0x4 | 0x20 | 0x2000;

    public static final FileMetadata NONE =
            new FileMetadata(Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());

    public FileMetadata {
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(atime, "atime");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(linkTarget, "linkTarget");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(hardLink, "hardLink");
        objectTags = Objects.requireNonNull(objectTags, "objectTags").map(Map::copyOf);
        Objects.requireNonNull(fileAttributes, "fileAttributes");
        Objects.requireNonNull(securityDescriptor, "securityDescriptor");
        if (fileAttributes.isPresent() && (fileAttributes.getAsInt() & ~CARRIED_ATTRIBUTES) != 0) {
            throw new IllegalArgumentException("file attributes beyond those carried: 0x" + Integer.toHexString(fileAttributes.getAsInt()));
        }
        if (mode.isPresent() && (mode.getAsInt() & ~07777) != 0) {
            throw new IllegalArgumentException("mode holds more than permission bits: " + Integer.toOctalString(mode.getAsInt()));
        }
    }

    /** No Windows attributes or security descriptor. */
    public FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid, OptionalLong gid,
            Optional<String> owner, Optional<String> group, Optional<String> linkTarget, Optional<DeviceNode> device,
            Optional<HardLink> hardLink, Optional<Map<String, String>> objectTags) {
        this(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, objectTags, OptionalInt.empty(), Optional.empty());
    }

    /** Tags not known. */
    public FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid, OptionalLong gid,
            Optional<String> owner, Optional<String> group, Optional<String> linkTarget, Optional<DeviceNode> device,
            Optional<HardLink> hardLink) {
        this(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, Optional.empty());
    }

    /** Without owner and group names. */
    public FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid, OptionalLong gid) {
        this(mtime, atime, mode, uid, gid, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Not a link. */
    public FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid, OptionalLong gid,
            Optional<String> owner, Optional<String> group) {
        this(mtime, atime, mode, uid, gid, owner, group, Optional.empty());
    }

    /** Neither a device nor a hard-linked file. */
    public FileMetadata(Optional<Instant> mtime, Optional<Instant> atime, OptionalInt mode, OptionalLong uid, OptionalLong gid,
            Optional<String> owner, Optional<String> group, Optional<String> linkTarget) {
        this(mtime, atime, mode, uid, gid, owner, group, linkTarget, Optional.empty(), Optional.empty());
    }

    public static FileMetadata of(Instant mtime, Instant atime, int mode, long uid, long gid) {
        return new FileMetadata(Optional.of(mtime), Optional.of(atime), OptionalInt.of(mode & 07777),
                OptionalLong.of(uid), OptionalLong.of(gid));
    }

    public FileMetadata withMtime(Optional<Instant> value) {
        return new FileMetadata(value, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withAtime(Optional<Instant> value) {
        return new FileMetadata(mtime, value, mode, uid, gid, owner, group, linkTarget, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withMode(OptionalInt value) {
        return new FileMetadata(mtime, atime, value, uid, gid, owner, group, linkTarget, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withOwner(OptionalLong newUid, OptionalLong newGid) {
        return new FileMetadata(mtime, atime, mode, newUid, newGid, owner, group, linkTarget, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withDevice(Optional<DeviceNode> node) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, linkTarget, node, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withHardLink(Optional<HardLink> link) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, link, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withOwnerNames(Optional<String> newOwner, Optional<String> newGroup) {
        return new FileMetadata(mtime, atime, mode, uid, gid, newOwner, newGroup, linkTarget, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withObjectTags(Optional<Map<String, String>> tags) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, tags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withLinkTarget(Optional<String> target) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, target, device, hardLink, objectTags, fileAttributes, securityDescriptor);
    }

    public FileMetadata withFileAttributes(OptionalInt value) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, objectTags, value,
                securityDescriptor);
    }

    public FileMetadata withSecurityDescriptor(Optional<SecurityDescriptor> value) {
        return new FileMetadata(mtime, atime, mode, uid, gid, owner, group, linkTarget, device, hardLink, objectTags,
                fileAttributes, value);
    }
}
