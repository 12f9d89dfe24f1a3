package dev.ferry.locations.smb;

import com.hierynomus.msdtyp.FileTime;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import dev.ferry.locations.FileMetadata;
import java.time.Instant;
import java.util.Optional;

/**
 * SMB times are 100 ns ticks since 1601, built here from raw ticks in both directions so no
 * precision is lost to milliseconds on the way. Times and attributes are set together, in one
 * FileBasicInformation.
 */
final class SmbTimes {
    /** Ticks from 1601-01-01 to 1970-01-01. */
    private static final long EPOCH_TICKS = 116_444_736_000_000_000L;

    private SmbTimes() {
    }

    static Instant toInstant(FileTime time) {
        long sinceEpoch = time.getWindowsTimeStamp() - EPOCH_TICKS;
        return Instant.ofEpochSecond(Math.floorDiv(sinceEpoch, 10_000_000L), Math.floorMod(sinceEpoch, 10_000_000L) * 100);
    }

    static FileTime fromInstant(Instant t) {
        return new FileTime(EPOCH_TICKS + Math.multiplyExact(t.getEpochSecond(), 10_000_000L) + t.getNano() / 100);
    }

    /**
     * The times and attributes {@code metadata} holds, as a change that leaves everything else
     * (creation time, attributes it does not hold) alone; none when it holds neither.
     *
     * @param directory whether the change is for a directory, whose type bit must stay set
     */
    static Optional<FileBasicInformation> basicInformation(FileMetadata metadata, boolean directory) {
        if (metadata.mtime().isEmpty() && metadata.atime().isEmpty() && metadata.fileAttributes().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FileBasicInformation(FileBasicInformation.DONT_SET,
                metadata.atime().map(SmbTimes::fromInstant).orElse(FileBasicInformation.DONT_SET),
                metadata.mtime().map(SmbTimes::fromInstant).orElse(FileBasicInformation.DONT_SET),
                FileBasicInformation.DONT_SET, attributes(metadata, directory)));
    }

    /** Only the times; for a file still under its temporary name. */
    static Optional<FileBasicInformation> times(FileMetadata metadata) {
        return basicInformation(metadata.withFileAttributes(java.util.OptionalInt.empty()), false);
    }

    /**
     * Only the attributes; for a written file once it has its name. Not before: the temporary
     * name starts with a dot, which Samba shows as hidden and so does not store as such, and a
     * read-only file could be neither renamed over nor deleted.
     */
    static Optional<FileBasicInformation> attributesOnly(FileMetadata metadata) {
        return metadata.fileAttributes().isEmpty() ? Optional.empty()
                : Optional.of(new FileBasicInformation(FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET,
                        FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET, attributes(metadata, false)));
    }

    /** Zero leaves the attributes alone; NORMAL alone clears them all (MS-FSCC 2.4.7). */
    private static long attributes(FileMetadata metadata, boolean directory) {
        if (metadata.fileAttributes().isEmpty()) {
            return 0;
        }
        long wanted = metadata.fileAttributes().getAsInt();
        if (directory) {
            return wanted | DIRECTORY;
        }
        return wanted == 0 ? NORMAL : wanted;
    }

    static final int READ_ONLY = 0x1;
    private static final int DIRECTORY = 0x10;
    private static final int NORMAL = 0x80;
}
