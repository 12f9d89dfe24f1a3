package dev.ferry.engine.transfer;

import dev.ferry.locations.Capability;
import dev.ferry.locations.Entry;
import dev.ferry.locations.Location;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.SecurityDescriptor.Part;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * SecurityDescriptorCopyFlags: where both sides keep Windows security descriptors, the parts the
 * option names (owner and DACL, and the SACL with OWNER_DACL_SACL, as DataSync copies them) are
 * read for each file and directory at the source, written with it, compared to tell a change
 * and checked when verifying. Like tags, a descriptor costs a request per entry on the side it
 * reads; where either side keeps none, or the option is NONE, nothing is read.
 */
final class SecurityDescriptorCarrier {
    private final Location source;
    private final Location destination;
    private final Set<Part> parts;

    SecurityDescriptorCarrier(TaskOptions options, Location source, Location destination) {
        this.source = source;
        this.destination = destination;
        boolean both = source.capabilities().contains(Capability.ACL) && destination.capabilities().contains(Capability.ACL);
        this.parts = !both ? Set.of() : switch (options.securityDescriptorCopyFlags()) {
            case NONE -> Set.of();
            case OWNER_DACL -> Set.copyOf(EnumSet.of(Part.OWNER, Part.DACL));
            case OWNER_DACL_SACL -> Set.copyOf(EnumSet.of(Part.OWNER, Part.DACL, Part.SACL));
        };
    }

    /** Whether descriptors travel, at a request per entry on each side. */
    boolean carries() {
        return !parts.isEmpty();
    }

    private boolean carries(Entry entry) {
        return !parts.isEmpty() && (entry.isFile() || entry.isDirectory());
    }

    /** The source entry with its descriptor, where descriptors travel; anything else as it is. */
    Entry withSourceDescriptor(Entry entry) {
        if (!carries(entry) || entry.metadata().securityDescriptor().isPresent()) {
            return entry;
        }
        SecurityDescriptor descriptor = source.securityDescriptor(entry.key(), parts);
        return entry.withMetadata(entry.metadata().withSecurityDescriptor(Optional.of(descriptor)));
    }

    /** Why the destination's descriptor differs from the one {@code wanted} carries, if they travel and do. */
    Optional<String> mismatch(Entry wanted) {
        Optional<SecurityDescriptor> descriptor = wanted.metadata().securityDescriptor();
        if (!carries(wanted) || descriptor.isEmpty()) {
            return Optional.empty();
        }
        SecurityDescriptor there = destination.securityDescriptor(wanted.key(), descriptor.get().parts());
        return there.equals(descriptor.get()) ? Optional.empty()
                : Optional.of("the security descriptor's " + new java.util.TreeSet<>(descriptor.get().parts())
                        + " at the destination differ from the source's");
    }
}
