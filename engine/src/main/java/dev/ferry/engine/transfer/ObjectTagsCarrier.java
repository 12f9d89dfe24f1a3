package dev.ferry.engine.transfer;

import dev.ferry.locations.Capability;
import dev.ferry.locations.Entry;
import dev.ferry.locations.Location;
import java.util.Map;
import java.util.Optional;

/**
 * ObjectTags=PRESERVE: where both sides keep object tags, a file's tags are read at the source,
 * written with it, compared to tell a change and checked when verifying. Tags are never in a
 * listing, so each of those costs one request per file on the side it reads; where either side
 * keeps no tags (file systems, stores without tagging) nothing is read and nothing is asked.
 */
final class ObjectTagsCarrier {
    private final Location source;
    private final Location destination;
    private final boolean carries;

    ObjectTagsCarrier(TaskOptions options, Location source, Location destination) {
        this.source = source;
        this.destination = destination;
        this.carries = options.objectTags() == TaskOptions.ObjectTags.PRESERVE
                && source.capabilities().contains(Capability.OBJECT_TAGS)
                && destination.capabilities().contains(Capability.OBJECT_TAGS);
    }

    /** Whether tags travel, at a request per file on each side. */
    boolean carries() {
        return carries;
    }

    /** The source file with its tags, where they travel; anything else as it is. */
    Entry withSourceTags(Entry entry) {
        if (!carries || !entry.isFile() || entry.metadata().objectTags().isPresent()) {
            return entry;
        }
        Map<String, String> tags = source.objectTags(entry.key());
        return entry.withMetadata(entry.metadata().withObjectTags(Optional.of(tags)));
    }

    /** Why the destination's tags differ from those {@code wanted} carries, if they travel and do. */
    Optional<String> mismatch(Entry wanted) {
        Optional<Map<String, String>> tags = wanted.metadata().objectTags();
        if (!carries || !wanted.isFile() || tags.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> there = destination.objectTags(wanted.key());
        return there.equals(tags.get()) ? Optional.empty()
                : Optional.of("object tags " + tags.get() + " at the source, " + there + " at the destination");
    }
}
