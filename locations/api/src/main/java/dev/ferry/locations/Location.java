package dev.ferry.locations;

import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One storage endpoint, rooted at a directory or bucket prefix. Keys are relative to that root
 * (see {@link Keys}); a directory's key ends with {@code /}.
 *
 * <p>The required core is small: list, stat, read, put, make a directory, remove. Anything more
 * is an optional ability declared in {@link #capabilities()}; callers ask before they call, and an
 * undeclared ability answers {@link UnsupportedCapabilityException}.
 *
 * <p>Threading: every method may be called from many threads at once. Calls block; callers run
 * them off network event loops.
 */
public interface Location extends AutoCloseable {

    /** The driver's kind name, such as {@code posix} or {@code s3}. */
    String kind();

    /** What this location can do beyond the core. Cheap; never claims what is not guaranteed. */
    Set<Capability> capabilities();

    /**
     * The finest step of the times this location keeps (SMB: 100 ns, HDFS: 1 ms): a time written
     * here comes back truncated to it, so times are compared at the coarser step of two locations.
     */
    default java.time.Duration timeGranularity() {
        return java.time.Duration.ofNanos(1);
    }

    /**
     * The mode bits this location keeps, of {@code 07777}, where it keeps modes at all (HDFS has
     * no set-uid or set-gid bits: {@code 01777}). Bits outside are not written or compared.
     */
    default int modeBits() {
        return 07777;
    }

    /**
     * Every entry below the root, recursively, in {@link KeyOrder canonical key order}, produced
     * lazily: memory stays bounded by the depth of the tree and the width of one directory, never
     * by the number of entries. A listing may leave metadata out where reading it costs a request
     * per entry (object stores); {@link #stat} always returns all the location keeps. The caller
     * closes the stream.
     */
    Stream<Entry> list() throws LocationException;

    /**
     * Like {@link #list()}, but need not enter directories the scope rules out. A location that
     * cannot prune cheaply lists everything; callers filter entries themselves either way.
     */
    default Stream<Entry> list(ListingScope scope) throws LocationException {
        return list();
    }

    /**
     * The entry at {@code key}, or empty when nothing is there. {@link Keys#ROOT} names the root
     * directory itself, where the location keeps metadata for it.
     */
    Optional<Entry> stat(String key) throws LocationException;

    /**
     * Opens a file for reading from {@code offset}. An offset other than zero needs
     * {@link Capability#RANGED_READ}.
     */
    InputStream openRead(String key, long offset) throws LocationException;

    /**
     * Opens a file for reading from its start, with the checksum of its content by
     * {@code algorithm} once it has been read to its end. A location served by an agent computes
     * it there, from the bytes as read from storage.
     */
    default ChecksummedInputStream openChecksummed(String key, ChecksumAlgorithm algorithm) throws LocationException {
        return ChecksummedInputStream.digesting(openRead(key, 0), algorithm);
    }

    /**
     * Writes a whole file from {@code content}, which must hold exactly {@code size} bytes.
     * Nothing is visible under {@code key} until every byte has been read and the stream has
     * ended cleanly: a failed or short write leaves whatever was there before (and no partial
     * file) under the final name. Missing parent directories are created.
     *
     * @return what the store said of what it now holds: its own checksum of the content, by the
     *     algorithm {@link #storeChecksum} names for this size, and the version it made
     */
    Stored put(String key, long size, FileMetadata metadata, InputStream content) throws LocationException;

    /**
     * How the store checksums a file of {@code size} bytes that {@link #put} writes (S3: an MD5,
     * or an MD5 of parts for a multipart upload), where it computes one itself and returns it
     * with the write; {@link #stat} then gives it too, in {@link Entry#checksum()}. Verification
     * compares it with a checksum of the source's bytes instead of reading the file back. Needs
     * {@link Capability#NATIVE_CHECKSUM}; empty otherwise.
     */
    default Optional<ChecksumAlgorithm> storeChecksum(long size) {
        return Optional.empty();
    }

    /** Creates the directory {@code key} (ending in {@code /}) and its parents, if missing. */
    void makeDirectory(String key, FileMetadata metadata) throws LocationException;

    /** Removes a file, or an empty directory. Removing what is not there is not an error. */
    void remove(String key) throws LocationException;

    /**
     * Replaces the metadata of an existing entry without rewriting its content; {@link Keys#ROOT}
     * is the root directory. Needs {@link Capability#SET_METADATA}.
     */
    default void setMetadata(String key, FileMetadata metadata) throws LocationException {
        throw new UnsupportedCapabilityException(kind(), Capability.SET_METADATA);
    }

    /**
     * Makes {@code key} a further name of the file at {@code existingKey} (a hard link), replacing
     * whatever file {@code key} named, atomically. Needs {@link Capability#HARD_LINKS}.
     */
    default void link(String existingKey, String key) throws LocationException {
        throw new UnsupportedCapabilityException(kind(), Capability.HARD_LINKS);
    }

    /** The tags of the object at {@code key}, empty when it has none. Needs {@link Capability#OBJECT_TAGS}. */
    default java.util.Map<String, String> objectTags(String key) throws LocationException {
        throw new UnsupportedCapabilityException(kind(), Capability.OBJECT_TAGS);
    }

    /**
     * The {@code parts} of the security descriptor of the file or directory at {@code key}.
     * Needs {@link Capability#ACL}; a part the store will not give (a SACL without the privilege
     * to read it) fails (ACCESS_DENIED, PRIVILEGE_NOT_HELD) rather than coming back empty.
     */
    default SecurityDescriptor securityDescriptor(String key, java.util.Set<SecurityDescriptor.Part> parts)
            throws LocationException {
        throw new UnsupportedCapabilityException(kind(), Capability.ACL);
    }

    /** Copies a file inside this location without moving its bytes through the caller. */
    default void serverSideCopy(String fromKey, String toKey) throws LocationException {
        throw new UnsupportedCapabilityException(kind(), Capability.SERVER_SIDE_COPY);
    }

    @Override
    void close();
}
