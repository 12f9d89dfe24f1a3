package dev.ferry.engine.transfer;

import dev.ferry.engine.wire.WireConverters;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.StoreVersion;
import dev.ferry.protocol.data.Checksum;
import dev.ferry.protocol.data.Metadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task's runs learned of the files at its destination: for each, the version the store
 * held (see {@link StoreVersion}) and the metadata that version carries. An object store lists
 * versions but no metadata, so a file whose size matches would cost a request for its mtime; where
 * the listed version is one recorded here, the record answers instead.
 *
 * <p>A record is never trusted on its own: it stands for the object only while the listing shows
 * the version it names, so a record that is stale, from another control plane's runs, or of
 * objects since deleted or rewritten costs that request and nothing else.
 *
 * <p>On disk, in H2's MVStore, so no memory grows with the number of files. Each run reads the
 * previous run's record and writes its own beside it, which replaces the previous one when the
 * run ends: entries of files gone from the destination go with it. A run that stopped short keeps
 * the previous run's entries for the files it did not reach.
 */
public final class DestinationRecord implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationRecord.class);
    private static final String FILES = "files";
    private static final String ABOUT = "about";
    /** Names what the record is of; a record of another destination is not read. */
    private static final String DESTINATION = "destination";
    /** The layout of the values; a record of another layout is not read. */
    private static final String FORMAT_KEY = "format";
    private static final int FORMAT = 1;
    /** MiB of each store's pages cached in memory. */
    private static final int CACHE_MIB = 8;

    private final Path file;
    private final Path next;
    private final MVStore previousStore;
    private final MVMap<String, byte[]> previous;
    private final MVStore currentStore;
    private final MVMap<String, byte[]> current;
    /** Set once the record could not be read or written: the run goes on without it. */
    private volatile boolean broken;

    private DestinationRecord(Path file, Path next, MVStore previousStore, MVMap<String, byte[]> previous, MVStore currentStore,
            MVMap<String, byte[]> current) {
        this.file = file;
        this.next = next;
        this.previousStore = previousStore;
        this.previous = previous;
        this.currentStore = currentStore;
        this.current = current;
    }

    /**
     * Opens the record in {@code file} for one run.
     *
     * @param destination what the destination is (its location and settings, hashed): a record
     *     kept of anything else is not read
     */
    public static DestinationRecord open(Path file, String destination) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next); // Left by a run that never ended: its control plane stopped.
        MVStore previousStore = null;
        MVMap<String, byte[]> previous = null;
        if (Files.exists(file)) {
            try {
                previousStore = new MVStore.Builder().fileName(file.toString()).readOnly().cacheSize(CACHE_MIB).open();
                Map<String, Object> about = previousStore.openMap(ABOUT);
                if (destination.equals(about.get(DESTINATION)) && Integer.valueOf(FORMAT).equals(about.get(FORMAT_KEY))) {
                    previous = previousStore.openMap(FILES);
                } else {
                    previousStore.close();
                    previousStore = null;
                }
            } catch (MVStoreException | IllegalStateException e) {
                // Only a shortcut is lost: every file is compared as if nothing were recorded.
                LOG.warn("event=destination_record_unreadable file={} error=\"{}\"", file, e.getMessage());
                if (previousStore != null) {
                    previousStore.closeImmediately();
                }
                previousStore = null;
            }
        }
        MVStore currentStore = new MVStore.Builder().fileName(next.toString()).cacheSize(CACHE_MIB).open();
        Map<String, Object> about = currentStore.openMap(ABOUT);
        about.put(DESTINATION, destination);
        about.put(FORMAT_KEY, FORMAT);
        return new DestinationRecord(file, next, previousStore, previous, currentStore, currentStore.openMap(FILES));
    }

    /** Removes a task's record, when the task goes. */
    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".next"));
    }

    /**
     * What the previous run recorded of the file at {@code key}: its size, metadata, store
     * checksum and the version that held them. The caller compares the version with the listed one.
     */
    Optional<Entry> earlier(String key) {
        if (previous == null || broken) {
            return Optional.empty();
        }
        try {
            byte[] value = previous.get(key);
            return value == null ? Optional.empty() : Optional.of(decode(key, value));
        } catch (RuntimeException e) {
            fail(e);
            return Optional.empty();
        }
    }

    /**
     * Records a file as the destination holds it: its version, and the metadata and checksum the
     * store keeps with that version. Entries without a version are not recorded.
     */
    void record(Entry entry) {
        if (!entry.isFile() || entry.version().isEmpty() || broken) {
            return;
        }
        try {
            current.put(entry.key(), encode(entry));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** A record that fails (a full disk) costs the run its shortcut, never a file: it is told once and let be. */
    private void fail(RuntimeException e) {
        if (!broken) {
            broken = true;
            LOG.warn("event=destination_record_failed file={} error=\"{}\"", file, String.valueOf(e));
        }
    }

    /**
     * Ends the run: what it recorded becomes the record.
     *
     * @param complete whether the run considered every file; one that did not keeps the previous
     *     run's entries for the files it did not reach
     */
    public void close(boolean complete) {
        if (broken) {
            close();
            return;
        }
        try {
            if (!complete && previous != null) {
                for (Iterator<String> keys = previous.keyIterator(null); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!current.containsKey(key)) {
                        current.put(key, previous.get(key));
                    }
                }
            }
            if (previousStore != null) {
                previousStore.close();
            }
            currentStore.close();
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a run that was not carried out: the previous record stays as it was. */
    @Override
    public void close() {
        if (previousStore != null) {
            previousStore.close();
        }
        if (!currentStore.isClosed()) {
            currentStore.closeImmediately();
            try {
                Files.deleteIfExists(next);
            } catch (IOException e) {
                LOG.warn("event=destination_record_not_removed file={} error=\"{}\"", next, e.getMessage());
            }
        }
    }

    /** Only what an object store keeps with an object travels in a record: no link, no attributes. */
    private static byte[] encode(Entry entry) {
        FileMetadata m = entry.metadata();
        FileMetadata kept = FileMetadata.NONE.withMtime(m.mtime()).withAtime(m.atime()).withMode(m.mode())
                .withOwner(m.uid(), m.gid()).withOwnerNames(m.owner(), m.group());
        StoreVersion version = entry.version().orElseThrow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(entry.size());
            out.writeUTF(version.etag());
            writeInstant(out, version.earliest());
            writeInstant(out, version.latest());
            byte[] metadata = WireConverters.toWire(kept).toByteArray();
            out.writeInt(metadata.length);
            out.write(metadata);
            byte[] checksum = entry.checksum().map(c -> WireConverters.toWire(c).toByteArray()).orElse(new byte[0]);
            out.writeInt(checksum.length);
            out.write(checksum);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(String key, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            long size = in.readLong();
            String etag = in.readUTF();
            Instant earliest = readInstant(in);
            Instant latest = readInstant(in);
            FileMetadata metadata = WireConverters.fromWire(Metadata.parseFrom(in.readNBytes(in.readInt())));
            byte[] checksum = in.readNBytes(in.readInt());
            Optional<ContentChecksum> stored = checksum.length == 0 ? Optional.empty()
                    : Optional.of(WireConverters.fromWire(Checksum.parseFrom(checksum)));
            return new Entry(key, EntryType.FILE, size, metadata, stored, Optional.of(new StoreVersion(etag, earliest, latest)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
