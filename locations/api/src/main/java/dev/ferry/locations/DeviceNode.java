package dev.ferry.locations;

import java.util.Objects;

/**
 * A device or FIFO, copied as the node itself (PreserveDevices=PRESERVE): nothing is read from
 * it, since a device or FIFO has no end to read to.
 *
 * @param kind which sort of node
 * @param major the device's major number; zero for a FIFO
 * @param minor the device's minor number; zero for a FIFO
 */
public record DeviceNode(Kind kind, long major, long minor) {
    public enum Kind {
        CHARACTER("c"), BLOCK("b"), FIFO("p");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        /** The letter {@code mknod} and {@code ls -l} use. */
        public String letter() {
            return letter;
        }
    }

    public DeviceNode {
        Objects.requireNonNull(kind, "kind");
        if (major < 0 || minor < 0 || kind == Kind.FIFO && (major != 0 || minor != 0)) {
            throw new IllegalArgumentException("invalid device numbers " + major + "," + minor + " for " + kind);
        }
    }

    public static DeviceNode fifo() {
        return new DeviceNode(Kind.FIFO, 0, 0);
    }

    /** Linux's encoding of {@code st_rdev} (glibc's gnu_dev_major and gnu_dev_minor). */
    public static DeviceNode fromRdev(Kind kind, long rdev) {
        long major = ((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL);
        long minor = ((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL);
        return new DeviceNode(kind, major, minor);
    }

    /** {@code c 1 3}, {@code b 8 0} or {@code p}: the form kept in object metadata and on the wire. */
    @Override
    public String toString() {
        return kind == Kind.FIFO ? "p" : kind.letter + " " + major + " " + minor;
    }

    /** Reads {@link #toString()}'s form; anything else is refused. */
    public static DeviceNode parse(String text) {
        String[] parts = text.trim().split(" ");
        try {
            if (parts.length == 1 && parts[0].equals("p")) {
                return fifo();
            }
            if (parts.length == 3) {
                for (Kind kind : Kind.values()) {
                    if (kind != Kind.FIFO && kind.letter.equals(parts[0])) {
                        return new DeviceNode(kind, Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    }
                }
            }
        } catch (NumberFormatException e) {
            // Falls through to the refusal below.
        }
        throw new IllegalArgumentException("not a device description: '" + text + "'");
    }
}
