package dev.ferry.locations;

import java.time.Instant;
import java.util.Objects;

/**
 * Which version of an object a store holds, as its listings show it: the ETag and when it was
 * last modified. Listings carry it where stats of each object cost a request (object stores), so
 * that a record of an earlier write (see {@link #covers}) can stand in for that request.
 *
 * <p>A write knows its ETag but not exactly when the store dates it, only a span: from before the
 * request was sent to the second after the store answered. A listed version has one instant.
 *
 * @param etag the ETag without quotes
 * @param earliest the earliest the version can be dated
 * @param latest the latest the version can be dated
 */
public record StoreVersion(String etag, Instant earliest, Instant latest) {
    public StoreVersion {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(earliest, "earliest");
        Objects.requireNonNull(latest, "latest");
        if (latest.isBefore(earliest)) {
            throw new IllegalArgumentException("latest " + latest + " is before earliest " + earliest);
        }
        etag = etag.replace("\"", "");
    }

    /** A version as a listing or a stat shows it. */
    public static StoreVersion listed(String etag, Instant lastModified) {
        return new StoreVersion(etag, lastModified, lastModified);
    }

    /**
     * Whether {@code listed} is this version: the same ETag, dated within this one's span. A later
     * write of other bytes has another ETag; one of the same bytes (a copy that replaced only the
     * metadata) is dated after the span, which ends when the write it records was answered.
     */
    public boolean covers(StoreVersion listed) {
        return etag.equals(listed.etag) && !listed.earliest.isBefore(earliest) && !listed.latest.isAfter(latest);
    }
}
