package dev.ferry.engine.transfer;

import dev.ferry.locations.Entry;
import dev.ferry.locations.KeyOrder;
import dev.ferry.locations.LocationException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Walks two listings in canonical key order side by side, like a merge join, pairing the entries
 * that share a key. Holds one entry of each side at a time. A listing that goes backwards is
 * refused rather than trusted, since a merge over unsorted input would miss files.
 */
final class ListingMerger implements Iterator<ListingMerger.Pair> {

    /** The entries under one key; at least one side is present. */
    record Pair(String key, Optional<Entry> source, Optional<Entry> destination) {
    }

    private final Iterator<Entry> source;
    private final Iterator<Entry> destination;
    private Entry nextSource;
    private Entry nextDestination;
    private String lastSourceKey;
    private String lastDestinationKey;

    ListingMerger(Iterator<Entry> source, Iterator<Entry> destination) {
        this.source = source;
        this.destination = destination;
    }

    @Override
    public boolean hasNext() {
        fill();
        return nextSource != null || nextDestination != null;
    }

    @Override
    public Pair next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int order = nextSource == null ? 1 : nextDestination == null ? -1 : KeyOrder.compare(nextSource.key(), nextDestination.key());
        Pair pair;
        if (order < 0) {
            pair = new Pair(nextSource.key(), Optional.of(nextSource), Optional.empty());
            nextSource = null;
        } else if (order > 0) {
            pair = new Pair(nextDestination.key(), Optional.empty(), Optional.of(nextDestination));
            nextDestination = null;
        } else {
            pair = new Pair(nextSource.key(), Optional.of(nextSource), Optional.of(nextDestination));
            nextSource = null;
            nextDestination = null;
        }
        return pair;
    }

    private void fill() {
        if (nextSource == null && source.hasNext()) {
            nextSource = source.next();
            lastSourceKey = checkOrder(lastSourceKey, nextSource.key(), "source");
        }
        if (nextDestination == null && destination.hasNext()) {
            nextDestination = destination.next();
            lastDestinationKey = checkOrder(lastDestinationKey, nextDestination.key(), "destination");
        }
    }

    private static String checkOrder(String previous, String key, String side) {
        if (previous != null && KeyOrder.compare(previous, key) >= 0) {
            throw new LocationException("LISTING_OUT_OF_ORDER",
                    "the " + side + " listing went from '" + previous + "' back to '" + key + "'");
        }
        return key;
    }
}
