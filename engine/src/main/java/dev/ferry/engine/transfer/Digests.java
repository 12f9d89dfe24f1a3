package dev.ferry.engine.transfer;

import dev.ferry.engine.wire.RemoteLocation;
import dev.ferry.engine.wire.Sha256;
import dev.ferry.locations.Location;
import java.io.IOException;
import java.io.InputStream;

/** Whole-file SHA-256 of what a location holds, computed where the file is when an agent serves it. */
final class Digests {
    private Digests() {
    }

    static byte[] sha256(Location location, String key) throws IOException {
        if (location instanceof RemoteLocation remote) {
            return remote.sha256(key);
        }
        try (InputStream in = location.openRead(key, 0)) {
            return Sha256.of(in);
        }
    }
}
