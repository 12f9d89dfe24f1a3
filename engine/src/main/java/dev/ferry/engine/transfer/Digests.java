package dev.ferry.engine.transfer;

import dev.ferry.engine.wire.RemoteLocation;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.Location;
import java.io.IOException;
import java.io.InputStream;

/** A whole-file checksum of what a location holds, computed where the file is when an agent serves it. */
final class Digests {
    private Digests() {
    }

    static ContentChecksum checksum(Location location, String key, ChecksumAlgorithm algorithm) throws IOException {
        if (location instanceof RemoteLocation remote) {
            return remote.checksum(key, algorithm);
        }
        try (InputStream in = location.openRead(key, 0)) {
            return ContentDigest.of(algorithm, in);
        }
    }
}
