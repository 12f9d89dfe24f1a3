package dev.ferry.engine.testing;

import dev.ferry.locations.Capability;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real location passed through call for call, for tests that make one call misbehave the way a
 * faulty disk or store would (override that call, keep the rest).
 */
public class ForwardingLocation implements Location {
    protected final Location inner;

    public ForwardingLocation(Location inner) {
        this.inner = inner;
    }

    @Override public String kind() { return inner.kind(); }
    @Override public Set<Capability> capabilities() { return inner.capabilities(); }
    @Override public Stream<Entry> list() { return inner.list(); }
    @Override public Stream<Entry> list(ListingScope scope) { return inner.list(scope); }
    @Override public Optional<Entry> stat(String key) { return inner.stat(key); }
    @Override public InputStream openRead(String key, long offset) { return inner.openRead(key, offset); }
    @Override public dev.ferry.locations.ChecksummedInputStream openChecksummed(String key,
            dev.ferry.locations.ChecksumAlgorithm algorithm) { return inner.openChecksummed(key, algorithm); }
    @Override public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata,
            InputStream content) { return inner.put(key, size, metadata, content); }
    @Override public Optional<dev.ferry.locations.ChecksumAlgorithm> storeChecksum(long size) { return inner.storeChecksum(size); }
    @Override public void makeDirectory(String key, FileMetadata metadata) { inner.makeDirectory(key, metadata); }
    @Override public void remove(String key) { inner.remove(key); }
    @Override public void setMetadata(String key, FileMetadata metadata) { inner.setMetadata(key, metadata); }
    @Override public void link(String existingKey, String key) { inner.link(existingKey, key); }
    @Override public Map<String, String> objectTags(String key) { return inner.objectTags(key); }
    @Override public dev.ferry.locations.SecurityDescriptor securityDescriptor(String key,
            Set<dev.ferry.locations.SecurityDescriptor.Part> parts) { return inner.securityDescriptor(key, parts); }
    @Override public java.time.Duration timeGranularity() { return inner.timeGranularity(); }
    @Override public int modeBits() { return inner.modeBits(); }
    @Override public void close() { inner.close(); }
}
