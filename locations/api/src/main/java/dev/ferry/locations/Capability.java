package dev.ferry.locations;

/** Optional abilities a {@link Location} may declare. */
public enum Capability {
    /** {@link Location#openRead} from an offset other than zero. */
    RANGED_READ,
    /** Large files are written in parts (for example S3 multipart upload). */
    MULTIPART_WRITE,
    /** {@link Location#serverSideCopy}. */
    SERVER_SIDE_COPY,
    /**
     * The store computes a checksum of each file's content itself: {@link Location#put} returns
     * it, {@link Location#stat} lists it, by the algorithm {@link Location#storeChecksum} names.
     */
    NATIVE_CHECKSUM,
    /**
     * mtime, atime, mode and owners are kept on write and returned by list and stat; owners as
     * uid and gid, or by name where the store knows names only (HDFS).
     */
    POSIX_METADATA,
    /** {@link Location#setMetadata}. */
    SET_METADATA,
    /**
     * Directories are real: adding or removing an entry changes the directory's own mtime, so a
     * directory's metadata must be applied after its children are written. Object stores, whose
     * directory markers do not change, leave it out.
     */
    HIERARCHICAL_DIRECTORIES,
    /** {@link Location#link}: a file can have several names, written once. */
    HARD_LINKS,
    /**
     * A device or FIFO given to {@link Location#put} (its {@link FileMetadata#device()} set, no
     * content) is kept as one: made as a node on a file system, recorded in metadata on an object
     * store, and listed or stat'ed back as {@link EntryType#OTHER} with the same node.
     */
    DEVICES,
    /**
     * Object tags: {@link Location#objectTags} reads them, and tags present in the
     * {@link FileMetadata#objectTags()} given to {@link Location#put} or
     * {@link Location#setMetadata} replace the object's own, in the same request where the store
     * allows it.
     */
    OBJECT_TAGS,
    /** Extended attributes are kept. */
    XATTR,
    /**
     * Windows security descriptors: {@link Location#securityDescriptor} reads the parts asked for,
     * and a {@link FileMetadata#securityDescriptor()} given to {@link Location#put},
     * {@link Location#makeDirectory} or {@link Location#setMetadata} replaces those parts.
     */
    ACL,
    /**
     * Windows file attributes ({@link FileMetadata#CARRIED_ATTRIBUTES}) are listed, and kept when
     * given to a write.
     */
    WINDOWS_ATTRIBUTES,
    /** A consistent snapshot can be listed and read. */
    SNAPSHOT
}
