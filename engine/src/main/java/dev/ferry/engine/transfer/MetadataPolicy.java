package dev.ferry.engine.transfer;

import dev.ferry.locations.FileMetadata;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Which parts of a source's metadata the task's options carry to the destination. */
final class MetadataPolicy {
    private final TaskOptions options;

    MetadataPolicy(TaskOptions options) {
        this.options = options;
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
        }
        return md.withOwner(options.uid() == TaskOptions.IdMapping.NONE ? OptionalLong.empty() : md.uid(),
                options.gid() == TaskOptions.IdMapping.NONE ? OptionalLong.empty() : md.gid());
    }

    /** Whether the options ask for any metadata at all, so reading it is worth a request. */
    boolean wantsAny() {
        return options.mtime() != TaskOptions.Mtime.NONE || options.posixPermissions() != TaskOptions.PosixPermissions.NONE
                || options.uid() != TaskOptions.IdMapping.NONE || options.gid() != TaskOptions.IdMapping.NONE;
    }

    /** Whether mode or owners differ where both sides know them (times are compared apart). */
    static boolean differs(FileMetadata wanted, FileMetadata there) {
        return differs(wanted.mode(), there.mode()) || differs(wanted.uid(), there.uid()) || differs(wanted.gid(), there.gid());
    }

    private static boolean differs(OptionalInt a, OptionalInt b) {
        return a.isPresent() && b.isPresent() && a.getAsInt() != b.getAsInt();
    }

    private static boolean differs(OptionalLong a, OptionalLong b) {
        return a.isPresent() && b.isPresent() && a.getAsLong() != b.getAsLong();
    }
}
