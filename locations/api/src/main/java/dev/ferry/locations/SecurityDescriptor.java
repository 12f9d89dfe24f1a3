package dev.ferry.locations;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * A Windows security descriptor as the store gave it, in the self-relative binary form of MS-DTYP
 * 2.4.6, with the parts that were read and are to be written. Ferry does not interpret it: a
 * location that keeps descriptors ({@link Capability#ACL}) reads and writes this form, and two
 * descriptors are the same when their bytes are.
 */
public final class SecurityDescriptor {
    /** The parts of a descriptor, with their SECURITY_INFORMATION bits (MS-DTYP 2.4.7). */
    public enum Part {
        OWNER(0x1), GROUP(0x2), DACL(0x4), SACL(0x8);

        private final int bit;

        Part(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }

        public static Set<Part> fromBits(int bits) {
            Set<Part> parts = EnumSet.noneOf(Part.class);
            for (Part part : values()) {
                if ((bits & part.bit) != 0) {
                    parts.add(part);
                }
            }
            if ((bits & ~0xF) != 0) {
                throw new IllegalArgumentException("unknown security descriptor parts: 0x" + Integer.toHexString(bits));
            }
            return parts;
        }

        public static int bits(Set<Part> parts) {
            return parts.stream().mapToInt(Part::bit).reduce(0, (a, b) -> a | b);
        }
    }

    /** A descriptor is small (a few ACEs); a store's own limit is 64 KiB. */
    public static final int MAX_BYTES = 65_536;

    private final Set<Part> parts;
    private final byte[] bytes;

    private SecurityDescriptor(Set<Part> parts, byte[] bytes) {
        this.parts = parts;
        this.bytes = bytes;
    }

    public static SecurityDescriptor of(Set<Part> parts, byte[] selfRelative) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(selfRelative, "selfRelative");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a security descriptor must hold at least one part");
        }
        // Revision 1, then a control word whose SE_SELF_RELATIVE bit (0x8000) is set: MS-DTYP 2.4.6.
        if (selfRelative.length < 20 || selfRelative.length > MAX_BYTES || selfRelative[0] != 1
                || (selfRelative[3] & 0x80) == 0) {
            throw new IllegalArgumentException("not a self-relative security descriptor (" + selfRelative.length + " bytes)");
        }
        return new SecurityDescriptor(Set.copyOf(EnumSet.copyOf(parts)), selfRelative.clone());
    }

    public Set<Part> parts() {
        return parts;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecurityDescriptor other && parts.equals(other.parts) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * parts.hashCode() + Arrays.hashCode(bytes);
    }

    /** The parts and the bytes in hex: readable enough to tell two apart in a report. */
    @Override
    public String toString() {
        return "SecurityDescriptor" + new java.util.TreeSet<>(parts) + "[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
