package dev.ferry.protocol.frame;

import java.util.Locale;

/** When a sender compresses the chunks it sends (see {@link ChunkEncoder}). */
public enum Compression {
    /** Where it pays: while the connection's writes back up, and the chunk shrinks. The default. */
    ADAPTIVE,
    /** Every chunk that shrinks, whatever the network's pace: for metered links, with CPU to spare. */
    ALWAYS,
    /** Never: every chunk raw. */
    OFF;

    /** From a flag's value, in any case; the message names the flag and the values allowed. */
    public static Compression parse(String value, String field) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be adaptive, always or off, got '" + value + "'", e);
        }
    }
}
