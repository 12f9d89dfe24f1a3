package dev.ferry.locations;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The text forms in which object stores keep file-system metadata (user metadata on S3, blob
 * metadata on Azure): times as nanoseconds since the epoch with an {@code ns} suffix, modes in
 * octal, owners as numbers. Parsing is lenient in one way only: a value another tool wrote in
 * another form is left out, never guessed.
 */
public final class MetadataText {
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private MetadataText() {
    }

    public static String nanos(Instant t) {
        // Not String.format: it parses its pattern on every call, and a write of a small file made two.
        String nanos = Integer.toString(t.getNano());
        return t.getEpochSecond() + "000000000".substring(nanos.length()) + nanos + "ns";
    }

    public static Optional<Instant> instant(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String digits = value.endsWith("ns") ? value.substring(0, value.length() - 2) : value;
        try {
            BigInteger[] qr = new BigInteger(digits).divideAndRemainder(NANOS_PER_SECOND);
            return Optional.of(Instant.ofEpochSecond(qr[0].longValueExact(), qr[1].longValueExact()));
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    public static String mode(int mode) {
        String octal = Integer.toOctalString(mode);
        return octal.length() >= 4 ? octal : "0000".substring(octal.length()) + octal;
    }

    public static OptionalInt mode(String value) {
        try {
            return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value, 8) & 07777);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public static OptionalLong number(String value) {
        try {
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public static Optional<DeviceNode> device(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(DeviceNode.parse(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
