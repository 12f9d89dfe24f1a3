package dev.ferry.engine.transfer;

import dev.ferry.locations.FileMetadata;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Which parts of a source's metadata the task's options carry to the destination, and of those,
 * what the destination can keep (mode bits it has no room for are neither written nor compared).
 */
final class MetadataPolicy {
    private final TaskOptions options;
    private final int modeBits;

    MetadataPolicy(TaskOptions options, int destinationModeBits) {
        this.options = options;
        this.modeBits = destinationModeBits;
    }

    /** What the options keep of the source's metadata. */
    FileMetadata toWrite(FileMetadata from) {
        FileMetadata md = from;
        if (options.mtime() == TaskOptions.Mtime.NONE) {
            md = md.withMtime(Optional.empty());
        }
        if (options.atime() == TaskOptions.Atime.NONE) {
            md = md.withAtime(Optional.empty());
        }
        if (options.posixPermissions() == TaskOptions.PosixPermissions.NONE) {
            md = md.withMode(OptionalInt.empty());
        } else if (md.mode().isPresent() && (md.mode().getAsInt() & ~modeBits) != 0) {
            md = md.withMode(OptionalInt.of(md.mode().getAsInt() & modeBits));
        }
        if (options.objectTags() == TaskOptions.ObjectTags.NONE) {
            md = md.withObjectTags(Optional.empty());
        }
        if (options.securityDescriptorCopyFlags() == TaskOptions.SecurityDescriptorCopyFlags.NONE) {
            md = md.withSecurityDescriptor(Optional.empty());
        }
        // INT_VALUE carries the number, NAME the name (the destination maps it), BOTH both (the name wins where known).
        return md.withOwner(numeric(options.uid()) ? md.uid() : OptionalLong.empty(),
                        numeric(options.gid()) ? md.gid() : OptionalLong.empty())
                .withOwnerNames(named(options.uid()) ? md.owner() : Optional.empty(),
                        named(options.gid()) ? md.group() : Optional.empty());
    }

    private static boolean numeric(TaskOptions.IdMapping mapping) {
        return mapping == TaskOptions.IdMapping.INT_VALUE || mapping == TaskOptions.IdMapping.BOTH;
    }

    private static boolean named(TaskOptions.IdMapping mapping) {
        return mapping == TaskOptions.IdMapping.NAME || mapping == TaskOptions.IdMapping.BOTH;
    }

    /** Whether the options ask for any metadata at all, so reading it is worth a request. */
    boolean wantsAny() {
        return options.mtime() != TaskOptions.Mtime.NONE || options.posixPermissions() != TaskOptions.PosixPermissions.NONE
                || options.uid() != TaskOptions.IdMapping.NONE || options.gid() != TaskOptions.IdMapping.NONE;
    }

    /**
     * Whether mode, owners or Windows file attributes differ where both sides know them (times
     * are compared apart, tags and descriptors by {@link UnlistedMetadata}).
     */
    static boolean differs(FileMetadata wanted, FileMetadata there) {
        // Where a name is wanted and the destination reports one, the name decides; else the number.
        boolean ownerByName = wanted.owner().isPresent() && there.owner().isPresent();
        boolean groupByName = wanted.group().isPresent() && there.group().isPresent();
        return NodeComparison.mismatch(wanted, there).isPresent() || differs(wanted.mode(), there.mode())
                || (ownerByName ? !wanted.owner().equals(there.owner()) : differs(wanted.uid(), there.uid()))
                || (groupByName ? !wanted.group().equals(there.group()) : differs(wanted.gid(), there.gid()))
                || differs(wanted.fileAttributes(), there.fileAttributes());
    }

    private static boolean differs(OptionalInt a, OptionalInt b) {
        return a.isPresent() && b.isPresent() && a.getAsInt() != b.getAsInt();
    }

    private static boolean differs(OptionalLong a, OptionalLong b) {
        return a.isPresent() && b.isPresent() && a.getAsLong() != b.getAsLong();
    }
}
