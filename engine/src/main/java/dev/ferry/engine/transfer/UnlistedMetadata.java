package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;
import java.util.Optional;

/**
 * The metadata no listing carries and each entry's own request reads, where it travels: object
 * tags and Windows security descriptors. One place for the transfer, the change detector and
 * the verifiers to fill it in and to compare it.
 */
final class UnlistedMetadata {
    /** How the destination differs, with the report's code for it. */
    record Mismatch(String code, String message) {
    }

    private final ObjectTagsCarrier tags;
    private final SecurityDescriptorCarrier descriptors;

    UnlistedMetadata(TaskOptions options, dev.ferry.locations.Location source, dev.ferry.locations.Location destination) {
        this.tags = new ObjectTagsCarrier(options, source, destination);
        this.descriptors = new SecurityDescriptorCarrier(options, source, destination);
    }

    /** Whether anything travels here, which costs requests per entry on both sides. */
    boolean travels() {
        return tags.carries() || descriptors.carries();
    }

    /** The source entry with what travels of its tags and security descriptor. */
    Entry withSource(Entry entry) {
        return descriptors.withSourceDescriptor(tags.withSourceTags(entry));
    }

    /** The first way the destination differs from what {@code wanted} carries, if any. */
    Optional<Mismatch> mismatch(Entry wanted) {
        Optional<String> tagsDiffer = tags.mismatch(wanted);
        if (tagsDiffer.isPresent()) {
            return Optional.of(new Mismatch("OBJECT_TAGS_MISMATCH", tagsDiffer.get()));
        }
        return descriptors.mismatch(wanted).map(m -> new Mismatch("SECURITY_DESCRIPTOR_MISMATCH", m));
    }
}
