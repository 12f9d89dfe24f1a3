package dev.ferry.engine.transfer;

import dev.ferry.locations.FileMetadata;
import java.util.Optional;

/** Whether two entries are the same symbolic link or the same device node, by what they say, not what they hold. */
final class NodeComparison {
    private NodeComparison() {
    }

    /** Empty when both point to the same target and are the same node (or neither is a link or node); else why not. */
    static Optional<String> mismatch(FileMetadata wanted, FileMetadata there) {
        if (!wanted.linkTarget().equals(there.linkTarget())) {
            return Optional.of("the link points to " + wanted.linkTarget().orElse("nothing (not a link)") + " at the source, to "
                    + there.linkTarget().orElse("nothing (not a link)") + " at the destination");
        }
        if (!wanted.device().equals(there.device())) {
            return Optional.of("the source is " + wanted.device().map(d -> "device " + d).orElse("no device")
                    + ", the destination " + there.device().map(d -> "device " + d).orElse("no device"));
        }
        return Optional.empty();
    }
}
