package dev.ferry.locations;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Location#put} left at the destination, as far as the store said.
 *
 * @param checksum the checksum the store computed itself over what it now holds, by the
 *     algorithm {@link Location#storeChecksum} names for the size; empty where the store computes
 *     none, or gave none this time (an object encrypted with a KMS key has an ETag that is no digest)
 * @param version the version the store made, where its listings show versions (object stores)
 */
public record Stored(Optional<ContentChecksum> checksum, Optional<StoreVersion> version) {
    /** A write the store said nothing about. */
    public static final Stored NOTHING = new Stored(Optional.empty(), Optional.empty());

    public Stored {
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(version, "version");
    }

    /** A write whose store gives a checksum and no version. */
    public static Stored checksum(Optional<ContentChecksum> checksum) {
        return new Stored(checksum, Optional.empty());
    }
}
