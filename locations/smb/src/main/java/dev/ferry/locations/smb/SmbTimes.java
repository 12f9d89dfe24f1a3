package dev.ferry.locations.smb;

import com.hierynomus.msdtyp.FileTime;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import dev.ferry.locations.FileMetadata;
import java.time.Instant;
import java.util.Optional;

/**
 * SMB times are 100 ns ticks since 1601, built here from raw ticks in both directions so no
 * precision is lost to milliseconds on the way.
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

    /** The times {@code metadata} holds, as a change that leaves everything else (creation time, attributes) alone. */
    static Optional<FileBasicInformation> basicInformation(FileMetadata metadata) {
        if (metadata.mtime().isEmpty() && metadata.atime().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FileBasicInformation(FileBasicInformation.DONT_SET,
                metadata.atime().map(SmbTimes::fromInstant).orElse(FileBasicInformation.DONT_SET),
                metadata.mtime().map(SmbTimes::fromInstant).orElse(FileBasicInformation.DONT_SET),
                FileBasicInformation.DONT_SET, 0));
    }
}
