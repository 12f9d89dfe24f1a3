package dev.ferry.locations;

/**
 * Which directories a listing needs to enter. A location that can skip a directory's contents
 * cheaply (a file system walk) does so; others may list everything, since callers filter entries
 * themselves.
 */
public interface ListingScope {
    ListingScope EVERYTHING = dirKey -> true;

    /** Whether anything under directory {@code dirKey} (ending in {@code /}) may be wanted. */
    boolean descend(String dirKey);
}
