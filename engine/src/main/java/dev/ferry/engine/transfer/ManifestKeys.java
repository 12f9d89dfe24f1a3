package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The keys a manifest names, read lazily from its location: a path with a leading {@code /} is
 * taken as relative to the root, one that cannot be a key (escapes the root, NUL, too long) goes
 * to {@code invalid}, and one the filters leave out is passed over.
 */
final class ManifestKeys implements Iterator<String>, AutoCloseable {
    private final ManifestReader lines;
    private final FilterRules filters;
    private final BooleanSupplier cancelled;
    private final Consumer<ManifestReader.Line> invalid;
    private String next;

    ManifestKeys(Location location, String manifestKey, FilterRules filters, BooleanSupplier cancelled,
            Consumer<ManifestReader.Line> invalid) {
        try {
            this.lines = new ManifestReader(location.openRead(manifestKey, 0), manifestKey);
        } catch (LocationException e) {
            throw new LocationException(e.code(), "the manifest " + manifestKey + " cannot be read: " + e.getMessage(), e);
        }
        this.filters = filters;
        this.cancelled = cancelled;
        this.invalid = invalid;
    }

    @Override
    public boolean hasNext() {
        while (next == null && lines.hasNext() && !cancelled.getAsBoolean()) {
            ManifestReader.Line line = lines.next();
            String key = line.path().startsWith("/") ? line.path().substring(1) : line.path();
            if (!Keys.isValid(key)) {
                invalid.accept(line);
            } else if (filters.includes(key)) {
                next = key;
            }
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String key = next;
        next = null;
        return key;
    }

    /** The entry at {@code key}, or the directory {@code key/} when the manifest names one without the slash. */
    static Optional<Entry> statEither(Location location, String key) {
        Optional<Entry> entry = location.stat(key);
        if (entry.isEmpty() && !Keys.isDirectory(key)) {
            entry = location.stat(key + "/");
        }
        return entry;
    }

    @Override
    public void close() {
        lines.close();
    }
}
