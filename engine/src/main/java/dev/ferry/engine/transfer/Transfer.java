package dev.ferry.engine.transfer;

import dev.ferry.locations.Capability;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution's work between two locations: list both sides as sorted streams, merge them in
 * step, and transfer what differs while the listing goes on, with at most {@code parallelism}
 * files in flight. Each file is read once at the source, hashed on the way, written under its final
 * name only when complete, and then verified against what the destination holds.
 *
 * <p>Memory is bounded by the parallelism and the tree's depth, never by the number of files.
 */
public final class Transfer {
    private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

    private final Location source;
    private final Location destination;
    private final TaskOptions options;
    /** File content a transfer may hold in memory at once, however many files are in flight. */
    static final long IN_FLIGHT_BYTES = inFlightBytes(Runtime.getRuntime().maxMemory());
    private final ExecutionListener listener;
    private final String executionId;
    private final ExecutionCounters counters;
    private final WorkSlots slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<FileFailure> firstFailure = new AtomicReference<>();
    private final PhaseClock prepare = new PhaseClock();
    private final PhaseClock transfer = new PhaseClock();
    private final PhaseClock verify = new PhaseClock();
    private final AtomicBoolean transferring = new AtomicBoolean();
    private final AtomicBoolean verifying = new AtomicBoolean();
    private final AtomicLong putsInFlight = new AtomicLong();
    /** A store's checksum that differed from the source's is logged once a run. */
    private final AtomicBoolean storeChecksumDiffered = new AtomicBoolean();
    private volatile boolean listingDone;
    private final boolean hierarchical;
    private final MetadataPolicy policy;
    private final ChangeDetector changes;
    private final FileCopier copier;
    private final BandwidthLimiter limiter;
    private final FilterRules filters;
    private final UnlistedMetadata unlisted;
    private final TimeComparison times;
    private final TypeChanges typeChanges = new TypeChanges();
    /** Null when the destination cannot link: then every name is copied as its own file. */
    private final HardLinks hardLinks;
    private volatile Location manifestLocation;
    private volatile String manifestKey;
    /** Null when the destination's files are not recorded between runs. */
    private volatile DestinationRecord record;

    /**
     * @param executionId how log lines name this run, such as {@code execution=exec-1 task=task-2}
     */
    public Transfer(String executionId, Location source, Location destination, TaskOptions options, int parallelism,
            LongSupplier bytesCompressed, ExecutionListener listener) {
        this(executionId, source, destination, options, FilterRules.NONE, parallelism, bytesCompressed, listener);
    }

    /** @param filters include and exclude patterns, applied to both sides (excluded entries are never deleted) */
    public Transfer(String executionId, Location source, Location destination, TaskOptions options, FilterRules filters,
            int parallelism, LongSupplier bytesCompressed, ExecutionListener listener) {
        this.filters = filters;
        this.executionId = executionId;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.listener = listener;
        this.counters = new ExecutionCounters(bytesCompressed);
        this.slots = new WorkSlots(parallelism, IN_FLIGHT_BYTES);
        this.hierarchical = destination.capabilities().contains(Capability.HIERARCHICAL_DIRECTORIES);
        this.policy = new MetadataPolicy(options, destination.modeBits());
        this.unlisted = new UnlistedMetadata(options, source, destination);
        this.times = new TimeComparison(source, destination);
        this.changes = new ChangeDetector(destination, options, policy, unlisted, times);
        this.limiter = new BandwidthLimiter(options.bytesPerSecond(), BandwidthLimiter.Clock.SYSTEM);
        this.hardLinks = destination.capabilities().contains(Capability.HARD_LINKS)
                ? new HardLinks(executionId, HardLinks.DEFAULT_CAPACITY) : null;
        this.copier = new FileCopier(executionId, source, destination, cancelled::get, limiter,
                options.verifyMode() == TaskOptions.VerifyMode.ONLY_FILES_TRANSFERRED);
    }

    /**
     * Reads the paths to transfer from a CSV manifest instead of listing the source: only those
     * entries are prepared, transferred and verified, and one missing at the source fails as
     * NOT_FOUND_AT_SOURCE. Call before {@link #run}.
     */
    public void useManifest(Location location, String key) {
        this.manifestLocation = location;
        this.manifestKey = key;
    }

    /**
     * Reads what earlier runs recorded of the destination's files, which spares a request per
     * unchanged object, and records this run's. The caller closes it after {@link #run}.
     */
    public void useRecord(DestinationRecord record) {
        this.record = record;
    }

    public ExecutionCounters counters() {
        return counters;
    }

    /** BytesPerSecond for the rest of the run (-1: unlimited); felt within a fraction of a second. */
    public void setBytesPerSecond(long bytesPerSecond) {
        limiter.setBytesPerSecond(bytesPerSecond);
    }

    /** Stops listing, abandons files in flight; {@link #run} then ends CANCELLED. */
    public void cancel() {
        cancelled.set(true);
        workers.shutdownNow();
    }

    /** Runs the whole transfer on the calling thread, returning when every file is done. */
    public TransferResult run() {
        long started = System.nanoTime();
        listener.phaseStarted(Phase.PREPARING);
        prepare.start();
        Optional<LocationException> listingFailure = Optional.empty();
        try {
            if (manifestLocation != null) {
                prepareFromManifest();
            } else {
                merge();
            }
        } catch (LocationException e) {
            listingFailure = Optional.of(e);
            LOG.warn("event=listing_failed {} code={} error=\"{}\"", executionId, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            if (!cancelled.get()) {
                listingFailure = Optional.of(new LocationException("INTERNAL", String.valueOf(e.getMessage()), e));
                LOG.error("event=listing_failed {}", executionId, e);
            }
        } finally {
            prepare.stop();
            listingDone = true;
        }
        drain();
        if (listingFailure.isEmpty() && !cancelled.get()) {
            retryTypeChanges();
        }
        boolean prepareListingFailed = listingFailure.isPresent();
        if (!transferring.get() && listingFailure.isEmpty() && !cancelled.get()) {
            listener.phaseStarted(Phase.TRANSFERRING);
            transferring.set(true);
        }
        if (listingFailure.isEmpty() && !cancelled.get()) {
            finishRoot();
            if (options.verifyMode() == TaskOptions.VerifyMode.POINT_IN_TIME_CONSISTENT) {
                listingFailure = verifyPointInTime();
            }
        }
        workers.close();

        Map<String, Long> durations = new LinkedHashMap<>();
        durations.put("PrepareDuration", prepare.millis());
        durations.put("TransferDuration", transfer.millis());
        durations.put("VerifyDuration", verify.millis());
        durations.put("TotalDuration", (System.nanoTime() - started) / 1_000_000);
        Map<String, String> statuses = phaseStatuses(prepareListingFailed, listingFailure.isPresent() && !prepareListingFailed);
        if (cancelled.get()) {
            return new TransferResult(TransferResult.Outcome.CANCELLED, Optional.of("CANCELLED"),
                    Optional.of("the execution was cancelled"), counters.snapshot(), durations, statuses);
        }
        if (listingFailure.isPresent()) {
            return new TransferResult(TransferResult.Outcome.ERROR, Optional.of(listingFailure.get().code()),
                    Optional.of("listing failed: " + listingFailure.get().getMessage()), counters.snapshot(), durations, statuses);
        }
        long failures = counters.failures();
        if (failures > 0) {
            FileFailure first = firstFailure.get();
            return new TransferResult(TransferResult.Outcome.ERROR, Optional.of(first.code()),
                    Optional.of(failures + " item(s) failed; first: " + first.key() + ": " + first.message()),
                    counters.snapshot(), durations, statuses);
        }
        return new TransferResult(TransferResult.Outcome.SUCCESS, Optional.empty(), Optional.empty(), counters.snapshot(), durations, statuses);
    }

    /**
     * DataSync's per-phase statuses. A phase that never began is PENDING; one that began ends
     * ERROR when any item failed in it (or the run was cancelled in it), else SUCCESS.
     * VerifyMode=NONE has nothing to verify, so its verify phase succeeds trivially.
     */
    private Map<String, String> phaseStatuses(boolean listingFailed, boolean verifyListingFailed) {
        Map<String, Long> c = counters.snapshot();
        boolean prepareFailed = listingFailed || c.get("FilesFailedPrepare") + c.get("FoldersFailedPrepare") > 0
                || cancelled.get() && !listingDone;
        boolean transferBegan = !listingFailed && (transferring.get() || listingDone);
        boolean transferFailed = c.get("FilesFailedTransfer") + c.get("FoldersFailedTransfer") + c.get("FilesFailedDelete")
                + c.get("FoldersFailedDelete") > 0 || cancelled.get();
        boolean verifyBegan = options.verifyMode() == TaskOptions.VerifyMode.NONE ? transferBegan && !cancelled.get()
                : verifyListingFailed || verify.millis() > 0 || c.get("FilesVerified") + c.get("FoldersVerified") + c.get("FilesFailedVerify")
                        + c.get("FoldersFailedVerify") > 0;
        boolean verifyFailed = verifyListingFailed || c.get("FilesFailedVerify") + c.get("FoldersFailedVerify") > 0
                || cancelled.get();
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put("PrepareStatus", prepareFailed ? "ERROR" : "SUCCESS");
        statuses.put("TransferStatus", !transferBegan ? "PENDING" : transferFailed ? "ERROR" : "SUCCESS");
        statuses.put("VerifyStatus", !verifyBegan ? "PENDING" : verifyFailed ? "ERROR" : "SUCCESS");
        return statuses;
    }

    /** The second listing of both sides, compared entry by entry; a failed listing fails the execution. */
    private Optional<LocationException> verifyPointInTime() {
        listener.phaseStarted(Phase.VERIFYING);
        verify.start();
        try {
            PointInTimeVerifier verifier = new PointInTimeVerifier(source, destination, options, filters, policy, unlisted, times,
                    counters, this::fail, listener, workers, slots, cancelled::get);
            if (manifestLocation == null) {
                verifier.run();
            } else {
                try (ManifestKeys keys = new ManifestKeys(manifestLocation, manifestKey, filters, cancelled::get, line -> { })) {
                    verifier.runOver(keys); // Invalid lines were reported when they were prepared.
                }
            }
            return Optional.empty();
        } catch (LocationException e) {
            LOG.warn("event=verify_listing_failed {} code={} error=\"{}\"", executionId, e.code(), e.getMessage());
            return Optional.of(e);
        } finally {
            drain();
            verify.stop();
        }
    }

    /** Prepares the manifest's entries one by one, each with a stat on both sides instead of a listing. */
    private void prepareFromManifest() {
        try (ManifestKeys keys = new ManifestKeys(manifestLocation, manifestKey, filters, cancelled::get, line -> {
            counters.filesFailedPrepare.increment();
            fail(new FileFailure(line.path(), "PREPARE", "INVALID_PATH", "manifest line " + line.number()
                    + ": not a path inside the location root"));
        })) {
            while (keys.hasNext()) {
                String key = keys.next();
                Optional<Entry> entry;
                try {
                    entry = ManifestKeys.statEither(source, key);
                } catch (LocationException e) {
                    counters.filesFailedPrepare.increment();
                    fail(new FileFailure(key, "PREPARE", e.code(), e.getMessage()));
                    continue;
                }
                if (entry.isEmpty()) {
                    counters.filesFailedPrepare.increment();
                    fail(new FileFailure(key, "PREPARE", "NOT_FOUND_AT_SOURCE", "listed in the manifest but not at the source"));
                    continue;
                }
                Optional<Entry> existing;
                try {
                    existing = options.transferMode() == TaskOptions.TransferMode.ALL ? Optional.empty()
                            : destination.stat(entry.get().key());
                } catch (LocationException e) {
                    counters.filesFailedPrepare.increment();
                    fail(new FileFailure(key, "PREPARE", e.code(), "at the destination: " + e.getMessage()));
                    continue;
                }
                // A listed directory is itself only: its metadata is set at once, nothing under it follows.
                prepare(entry.get(), existing, null).ifPresent(DirectoryState::release);
            }
        }
    }

    private void merge() {
        Deque<DirectoryState> path = new ArrayDeque<>();
        try (Stream<Entry> sourceListing = source.list(filters).filter(e -> filters.includes(e.key()));
                Stream<Entry> destinationListing = options.transferMode() == TaskOptions.TransferMode.ALL
                        ? Stream.empty() : destination.list(filters).filter(e -> filters.includes(e.key())).map(this::withRecorded)) {
            Iterator<ListingMerger.Pair> pairs = new ListingMerger(sourceListing.iterator(), destinationListing.iterator());
            while (pairs.hasNext() && !cancelled.get()) {
                ListingMerger.Pair pair = pairs.next();
                while (!path.isEmpty() && !Keys.isUnder(pair.key(), path.peek().key)) {
                    path.pop().release();
                }
                if (pair.source().isEmpty()) {
                    if (options.preserveDeletedFiles() == TaskOptions.PreserveDeletedFiles.REMOVE) {
                        prepareDeletion(pair.destination().get(), path.peek()).ifPresent(path::push);
                    }
                    continue; // PRESERVE keeps what exists only at the destination.
                }
                DirectoryState parent = path.peek();
                Entry entry = pair.source().get();
                Optional<DirectoryState> opened = prepare(entry, pair.destination(), parent);
                opened.ifPresent(path::push);
            }
        } finally {
            while (!path.isEmpty()) {
                path.pop().release();
            }
        }
    }

    /** Decides one source entry; returns the state of a directory whose subtree follows. */
    private Optional<DirectoryState> prepare(Entry entry, Optional<Entry> existing, DirectoryState parent) {
        String key = entry.key();
        if (!Keys.isValid(key)) {
            counters.filesFailedPrepare.increment();
            fail(new FileFailure(key, "PREPARE", "INVALID_PATH", "the name cannot be written safely at the destination"));
            return Optional.empty();
        }
        switch (entry.type()) {
            case DIRECTORY -> {
                counters.foldersListedAtSource.increment();
                counters.foldersPrepared.increment();
                try {
                    return prepareDirectory(withFullMetadata(entry), existing, parent);
                } catch (LocationException e) {
                    counters.foldersFailedPrepare.increment();
                    fail(new FileFailure(key, "PREPARE", e.code(), e.getMessage()));
                    return Optional.empty();
                }
            }
            case OTHER -> {
                counters.filesListedAtSource.increment();
                if (!copiesNode(entry)) {
                    skipSpecial(entry);
                    return Optional.empty();
                }
                counters.filesPrepared.increment();
                prepareFile(entry, existing, parent);
                return Optional.empty();
            }
            case SYMLINK, FILE -> {
                // A link travels as an empty file whose metadata names its target; a device likewise.
                counters.filesListedAtSource.increment();
                counters.filesPrepared.increment();
                prepareFile(entry, existing, parent);
                return Optional.empty();
            }
            default -> throw new IllegalStateException("unknown entry type " + entry.type());
        }
    }

    /** PreserveDevices=PRESERVE copies devices and FIFOs as nodes; sockets are never copied. */
    private boolean copiesNode(Entry entry) {
        return options.preserveDevices() == TaskOptions.PreserveDevices.PRESERVE && entry.metadata().device().isPresent();
    }

    /** PreserveDevices=NONE, DataSync's default, and sockets always: left out, visibly. */
    private void skipSpecial(Entry entry) {
        counters.filesSkipped.increment();
        listener.itemSkipped(entry);
        logItem("special_file_skipped", entry.key());
    }

    private Optional<DirectoryState> prepareDirectory(Entry entry, Optional<Entry> existing, DirectoryState parent) {
        String key = entry.key();
        FileMetadata wanted = policy.toWrite(entry.metadata());
        boolean created = false;
        if (existing.isPresent() && !existing.get().isDirectory()) {
            counters.foldersFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", "TYPE_CONFLICT", "a file of that name exists at the destination"));
            return Optional.empty();
        }
        if (existing.isEmpty() && !hierarchical) {
            // An object store's directory is a marker object that nothing under it needs first:
            // it is written by a worker like a file, not on the listing's thread.
            counters.estimatedFoldersToTransfer.increment();
            startTransferPhase(null);
            putsInFlight.incrementAndGet();
            if (!dispatch(parent, 0, () -> makeMarker(entry, wanted))) {
                putsDone();
            }
        } else if (existing.isEmpty()) {
            counters.estimatedFoldersToTransfer.increment();
            try {
                if (replacesDeleted()) {
                    typeChanges.awaitRemovalBefore(key); // A file of this name, gone from the source.
                }
                destination.makeDirectory(key, wanted);
                created = true;
                counters.foldersTransferred.increment();
                listener.itemTransferred(entry, true, Optional.empty());
                if (parent != null) {
                    parent.markChanged();
                }
            } catch (LocationException e) {
                counters.foldersFailedTransfer.increment();
                fail(new FileFailure(key, "TRANSFER", e.code(), e.getMessage()));
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                return Optional.empty();
            }
        } else {
            counters.foldersSkipped.increment();
            listener.itemSkipped(entry);
        }
        boolean differs;
        try {
            differs = existing.isPresent() && (MetadataPolicy.differs(wanted, existing.get().metadata())
                    || timesDiffer(wanted, existing.get().metadata()) || unlisted.mismatch(entry).isPresent());
        } catch (LocationException e) {
            counters.foldersFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", e.code(), "metadata could not be compared: " + e.getMessage()));
            return Optional.empty();
        }
        // A created directory already carries its metadata unless writing its children will change it.
        return Optional.of(new DirectoryState(key, wanted, parent, created && hierarchical || differs, this::finishDirectory));
    }

    private void makeMarker(Entry entry, FileMetadata metadata) {
        try {
            destination.makeDirectory(entry.key(), metadata);
            counters.foldersTransferred.increment();
            listener.itemTransferred(entry, true, Optional.empty());
        } catch (LocationException e) {
            if (!cancelled.get()) {
                counters.foldersFailedTransfer.increment();
                fail(new FileFailure(entry.key(), "TRANSFER", e.code(), e.getMessage()));
            }
        } finally {
            putsDone();
        }
    }

    /**
     * PreserveDeletedFiles=REMOVE: an entry gone from the source goes from the destination too.
     * Files are removed in parallel like transfers; a directory is removed after everything under
     * it, through the same post-order holds as directory metadata.
     */
    private Optional<DirectoryState> prepareDeletion(Entry entry, DirectoryState parent) {
        String key = entry.key();
        (entry.isDirectory() ? counters.foldersListedAtDestinationForDelete : counters.filesListedAtDestinationForDelete).increment();
        if (!Keys.isValid(key)) {
            (entry.isDirectory() ? counters.foldersFailedDelete : counters.filesFailedDelete).increment();
            fail(new FileFailure(key, "DELETE", "INVALID_PATH", "the destination name cannot be addressed safely"));
            return Optional.empty();
        }
        if (parent != null && hierarchical) {
            parent.markChanged();
        }
        if (entry.isDirectory()) {
            counters.estimatedFoldersToDelete.increment();
            return Optional.of(new DirectoryState(key, FileMetadata.NONE, parent, false, dir -> removeDirectory(entry)));
        }
        counters.estimatedFilesToDelete.increment();
        typeChanges.removalStarted(key);
        boolean started = dispatch(parent, () -> {
            try {
                destination.remove(key);
                counters.filesDeleted.increment();
                listener.itemDeleted(entry);
                logItem("file_deleted", key);
            } catch (LocationException e) {
                counters.filesFailedDelete.increment();
                fail(new FileFailure(key, "DELETE", e.code(), e.getMessage()));
            } finally {
                typeChanges.removalDone(key);
            }
        });
        if (!started) {
            typeChanges.removalDone(key);
        }
        return Optional.empty();
    }

    private void removeDirectory(Entry dir) {
        if (cancelled.get()) {
            return;
        }
        try {
            destination.remove(dir.key());
            counters.foldersDeleted.increment();
            listener.itemDeleted(dir);
            logItem("folder_deleted", dir.key());
        } catch (LocationException e) {
            counters.foldersFailedDelete.increment();
            fail(new FileFailure(dir.key(), "DELETE", e.code(), e.getMessage()));
        }
    }

    /**
     * A quarter of the heap, from what one file may hold ({@link WorkSlots#FILE_WEIGHT_CAP}) up to
     * 2 GiB. A file is weighed at the most it may hold, which one arriving over a slow link never
     * does; a budget that fits only a few large files leaves an agent with one file at a time, and
     * its link idle from that file's last byte until the file is stored, verified and the next one
     * begins (half a second per file on the bench's 200 Mbit links). A small heap gets fewer files
     * at once rather than running out.
     */
    static long inFlightBytes(long maxHeap) {
        return Math.max(WorkSlots.FILE_WEIGHT_CAP, Math.min(maxHeap / 4, 2L << 30));
    }

    /** LogLevel=TRANSFER: one line for every item, with the task and execution it belongs to. */
    private void logItem(String event, String key) {
        if (options.logLevel() == TaskOptions.LogLevel.TRANSFER) {
            LOG.info("event={} {} key=\"{}\"", event, executionId, key);
        }
    }

    /** Whether deletions are mirrored on a destination whose names have one type each (a file system). */
    private boolean replacesDeleted() {
        return hierarchical && options.preserveDeletedFiles() == TaskOptions.PreserveDeletedFiles.REMOVE;
    }

    /**
     * The files put aside because a directory of their name was in the way: by now the mirrored
     * deletions have removed it where the source no longer has it. Writing a file changes its
     * directory, so each directory's metadata is put back after.
     */
    private void retryTypeChanges() {
        List<Entry> deferred = typeChanges.takeDeferred();
        if (deferred.isEmpty()) {
            return;
        }
        for (Entry entry : deferred) {
            putsInFlight.incrementAndGet();
            if (!dispatch(null, entry.size(), () -> transferFile(entry, false))) {
                putsDone();
            }
        }
        drain();
        deferred.stream().map(e -> Keys.parent(e.key())).distinct().filter(k -> !Keys.ROOT.equals(k))
                .forEach(this::restoreDirectoryMetadata);
    }

    private void restoreDirectoryMetadata(String key) {
        try {
            Optional<Entry> there = source.stat(key);
            if (there.isPresent() && destination.capabilities().contains(Capability.SET_METADATA)) {
                destination.setMetadata(key, policy.toWrite(there.get().metadata()));
            }
        } catch (LocationException e) {
            counters.foldersFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", e.code(), "metadata could not be put back: " + e.getMessage()));
        }
    }

    /**
     * Last of all, the root directory's own metadata, as for any other directory: writing its
     * children changed it. Not where the destination keeps no such thing or the source has none.
     */
    private void finishRoot() {
        if (!destination.capabilities().contains(Capability.SET_METADATA)
                || !source.capabilities().contains(Capability.POSIX_METADATA)
                && !source.capabilities().contains(Capability.HIERARCHICAL_DIRECTORIES)) {
            return;
        }
        try {
            Optional<Entry> root = source.stat(Keys.ROOT).map(unlisted::withSource);
            if (root.isEmpty() || root.get().metadata().mtime().isEmpty()) {
                return;
            }
            FileMetadata wanted = policy.toWrite(root.get().metadata());
            Optional<Entry> there = destination.stat(Keys.ROOT);
            boolean differs = there.isEmpty() || !times.same(there.get().metadata().mtime(), wanted.mtime())
                    || MetadataPolicy.differs(wanted, there.get().metadata()) || unlisted.mismatch(root.get()).isPresent();
            if (differs) {
                destination.setMetadata(Keys.ROOT, wanted);
            }
        } catch (LocationException e) {
            counters.foldersFailedTransfer.increment();
            fail(new FileFailure("/", "TRANSFER", e.code(), "metadata of the root directory could not be set: " + e.getMessage()));
        }
    }

    /** A directory whose mtime alone changed still needs its metadata put back. */
    private boolean timesDiffer(FileMetadata wanted, FileMetadata there) {
        return options.mtime() == TaskOptions.Mtime.PRESERVE && wanted.mtime().isPresent() && there.mtime().isPresent()
                && !times.same(wanted.mtime(), there.mtime());
    }

    /** After a directory's last child: put its metadata back, as writing children changed it. */
    private void finishDirectory(DirectoryState dir) {
        if (!dir.changed() || cancelled.get() || !destination.capabilities().contains(Capability.SET_METADATA)) {
            return;
        }
        try {
            destination.setMetadata(dir.key, dir.metadata);
        } catch (LocationException e) {
            counters.foldersFailedTransfer.increment();
            fail(new FileFailure(dir.key, "TRANSFER", e.code(), "metadata could not be set: " + e.getMessage()));
        }
    }

    /**
     * The entry with all the metadata its location keeps. Object stores list sizes only, so an
     * entry without an mtime from a location that keeps one costs a stat; file systems list it all.
     */
    private Entry withFullMetadata(Entry entry) {
        if (hasFullMetadata(entry)) {
            return unlisted.withSource(entry);
        }
        return unlisted.withSource(source.stat(entry.key()).orElseThrow(() -> new LocationException("SOURCE_CHANGED",
                "listed but gone before it could be read: " + entry.key())));
    }

    private boolean hasFullMetadata(Entry entry) {
        // An empty object may be a link kept on an object store: its metadata says so, whatever the options want.
        return entry.metadata().mtime().isPresent() || !source.capabilities().contains(Capability.POSIX_METADATA)
                || !policy.wantsAny() && entry.size() > 0;
    }

    private void prepareFile(Entry listed, Optional<Entry> existing, DirectoryState parent) {
        HardLinks.Claim claim = hardLinks == null ? HardLinks.Claim.UNTRACKED : hardLinks.claim(listed);
        if (claim.later()) {
            prepareLink(listed, claim.group().get(), existing, parent);
            return;
        }
        Optional<HardLinks.Group> group = claim.group();
        Written written = Written.NO;
        try {
            written = prepareContent(listed, existing, parent, group);
        } finally {
            // Later names of this file wait for it: unless a worker now owns the answer, it is given here.
            if (written != Written.BY_WORKER) {
                boolean ok = written == Written.YES;
                group.ifPresent(g -> g.written(ok));
            }
        }
    }

    /** Whether a file's content is at the destination once it is prepared. */
    private enum Written { YES, NO, BY_WORKER }

    /** Decides and dispatches a file's content (or a link's or device's node). */
    private Written prepareContent(Entry listed, Optional<Entry> existing, DirectoryState parent,
            Optional<HardLinks.Group> group) {
        String key = listed.key();
        if (existing.isPresent() && existing.get().isDirectory()) {
            counters.filesFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", "TYPE_CONFLICT", "a directory of that name exists at the destination"));
            return Written.NO;
        }
        if (group.isEmpty() && asksForDecision(listed, existing)) {
            // Deciding costs requests (an object store's metadata, tags, descriptors): a worker
            // decides and acts, so that many are asked at once and the listing goes on.
            putsInFlight.incrementAndGet();
            if (!dispatch(parent, listed.size(), () -> decideAndAct(listed, existing, parent))) {
                putsDone();
                return Written.NO;
            }
            return Written.BY_WORKER;
        }
        Optional<Decided> decided = decide(listed, existing);
        if (decided.isEmpty()) {
            return Written.NO;
        }
        Entry entry = decided.get().entry();
        ChangeDetector.Decision decision = decided.get().decision();
        group.ifPresent(g -> g.firstDecided(decision != ChangeDetector.Decision.TRANSFER, existing));
        if (decision == ChangeDetector.Decision.SKIP) {
            counters.filesSkipped.increment();
            listener.itemSkipped(entry);
            decided.get().there().ifPresent(this::remember);
            return Written.YES;
        }
        toTransfer(entry, decision, parent);
        putsInFlight.incrementAndGet();
        long weight = decision == ChangeDetector.Decision.TRANSFER ? entry.size() : 0;
        boolean started = dispatch(parent, weight, () -> {
            boolean ok = false;
            try {
                ok = act(entry, decision);
            } finally {
                boolean written = ok;
                group.ifPresent(g -> g.written(written));
            }
        });
        if (!started) {
            putsDone();
            return Written.NO;
        }
        return Written.BY_WORKER;
    }

    /**
     * A file's entry with all the metadata its location keeps, what to do with it, and what the
     * destination held that decided it.
     */
    private record Decided(Entry entry, ChangeDetector.Decision decision, Optional<Entry> there) {
    }

    /** Whether deciding about this file makes requests, to the source for its metadata or to the destination. */
    private boolean asksForDecision(Entry listed, Optional<Entry> existing) {
        return !hasFullMetadata(listed) || unlisted.travels() || changes.asksDestination(listed, existing);
    }

    /** Empty when the file was failed or left out, which is counted and reported here. */
    private Optional<Decided> decide(Entry listed, Optional<Entry> existing) {
        try {
            Entry entry = withFullMetadata(listed);
            if (entry.type() == EntryType.OTHER && !copiesNode(entry)) {
                skipSpecial(entry); // Kept on an object store, where listings show it as an empty object.
                return Optional.empty();
            }
            if (entry.type() == EntryType.OTHER && !destination.capabilities().contains(Capability.DEVICES)) {
                counters.filesFailedTransfer.increment();
                fail(new FileFailure(entry.key(), "TRANSFER", "NOT_SUPPORTED", "the destination cannot keep a device or FIFO "
                        + "(PreserveDevices=PRESERVE)"));
                return Optional.empty();
            }
            Optional<Entry> there = changes.compared(entry, existing);
            return Optional.of(new Decided(entry, changes.decide(entry, there), there));
        } catch (LocationException e) {
            counters.filesFailedPrepare.increment();
            fail(new FileFailure(listed.key(), "PREPARE", e.code(), e.getMessage()));
            return Optional.empty();
        }
    }

    /** On a worker, holding the slot and the put it was dispatched with. */
    private void decideAndAct(Entry listed, Optional<Entry> existing, DirectoryState parent) {
        Optional<Decided> decided = decide(listed, existing);
        if (decided.isEmpty() || decided.get().decision() == ChangeDetector.Decision.SKIP) {
            decided.ifPresent(d -> {
                counters.filesSkipped.increment();
                listener.itemSkipped(d.entry());
                d.there().ifPresent(this::remember);
            });
            putsDone();
            return;
        }
        toTransfer(decided.get().entry(), decided.get().decision(), parent);
        act(decided.get().entry(), decided.get().decision());
    }

    private void toTransfer(Entry entry, ChangeDetector.Decision decision, DirectoryState parent) {
        counters.estimatedFilesToTransfer.increment();
        counters.estimatedBytesToTransfer.add(decision == ChangeDetector.Decision.TRANSFER ? entry.size() : 0);
        startTransferPhase(parent);
    }

    /** @return whether the file is at the destination; ends the put either way */
    private boolean act(Entry entry, ChangeDetector.Decision decision) {
        return decision == ChangeDetector.Decision.TRANSFER ? transferFile(entry) : updateMetadata(entry);
    }

    private void startTransferPhase(DirectoryState parent) {
        if (transferring.compareAndSet(false, true)) {
            listener.phaseStarted(Phase.TRANSFERRING);
            transfer.start();
        }
        if (parent != null && hierarchical) {
            parent.markChanged();
        }
    }

    /**
     * A later name of a file with several names: linked at the destination to the first name once
     * that is written, or left as it is when it already names the first name's unchanged file.
     */
    private void prepareLink(Entry entry, HardLinks.Group group, Optional<Entry> existing, DirectoryState parent) {
        String key = entry.key();
        if (existing.isPresent() && existing.get().isDirectory()) {
            counters.filesFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", "TYPE_CONFLICT", "a directory of that name exists at the destination"));
            return;
        }
        boolean neverOverwrite = existing.isPresent() && options.overwriteMode() == TaskOptions.OverwriteMode.NEVER
                && options.transferMode() != TaskOptions.TransferMode.ALL;
        if (neverOverwrite || options.transferMode() != TaskOptions.TransferMode.ALL && group.alreadyLinked(existing)) {
            counters.filesSkipped.increment();
            listener.itemSkipped(entry);
            return;
        }
        counters.estimatedFilesToTransfer.increment();
        startTransferPhase(parent);
        putsInFlight.incrementAndGet();
        boolean started = dispatch(parent, () -> linkFile(entry, group));
        if (!started) {
            putsDone();
        }
    }

    private void linkFile(Entry entry, HardLinks.Group group) {
        String key = entry.key();
        try {
            if (!group.awaitWritten()) {
                if (!cancelled.get()) {
                    counters.filesFailedTransfer.increment();
                    fail(new FileFailure(key, "TRANSFER", "LINK_SOURCE_FAILED", "not linked: " + group.firstKey
                            + ", the first name of the same file, was not written"));
                }
                return;
            }
            destination.link(group.firstKey, key);
            counters.filesTransferred.increment();
            listener.itemTransferred(entry, false, Optional.empty());
            logItem("file_linked", key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Cancelled: the execution ends CANCELLED.
            return;
        } catch (LocationException e) {
            if (!cancelled.get()) {
                counters.filesFailedTransfer.increment();
                fail(new FileFailure(key, "TRANSFER", e.code(), e.getMessage()));
            }
            return;
        } finally {
            putsDone();
        }
        if (options.verifyMode() == TaskOptions.VerifyMode.ONLY_FILES_TRANSFERRED) {
            verifyLinked(entry, group.firstKey);
        }
    }

    /** A linked name is checked by being the same file as the first name, which was verified itself. */
    private void verifyLinked(Entry entry, String firstKey) {
        try {
            Optional<String> linked = destination.stat(entry.key()).flatMap(e -> e.metadata().hardLink()).map(h -> h.fileId());
            Optional<String> first = destination.stat(firstKey).flatMap(e -> e.metadata().hardLink()).map(h -> h.fileId());
            if (linked.isEmpty() || !linked.equals(first)) {
                counters.filesFailedVerify.increment();
                fail(new FileFailure(entry.key(), "VERIFY", "VERIFICATION_FAILED", "not the same file as " + firstKey
                        + " at the destination"));
                return;
            }
            counters.filesVerified.increment();
            listener.itemVerified(entry, Optional.empty());
        } catch (LocationException e) {
            counters.filesFailedVerify.increment();
            fail(new FileFailure(entry.key(), "VERIFY", e.code(), e.getMessage()));
        }
    }

    /**
     * Runs one item's work on a worker. The item holds a slot, which bounds the work in flight, and
     * its parent directory, whose post-order work (metadata, removal) waits for it. Both are let go
     * when the work ends, the parent first so drain() never returns before that post-order work;
     * or at once when the work cannot start.
     *
     * @return false when the work did not start (the execution was cancelled)
     */
    private boolean dispatch(DirectoryState parent, Runnable work) {
        return dispatch(parent, 0, work);
    }

    /** @param size the bytes of content the work holds in memory at most (its file's size) */
    private boolean dispatch(DirectoryState parent, long size, Runnable work) {
        try {
            slots.acquire(size);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled.set(true);
            return false;
        }
        if (parent != null) {
            parent.hold();
        }
        Runnable done = () -> {
            if (parent != null) {
                parent.release();
            }
            slots.release(size);
        };
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } finally {
                    done.run();
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException cancelledMeanwhile) {
            done.run();
            return false;
        }
    }

    /**
     * A destination file as a listing shows it, with the metadata an earlier run recorded of the
     * version listed, where there is such a record: then no request need ask for it.
     */
    private Entry withRecorded(Entry listed) {
        DestinationRecord r = record;
        if (r == null || !listed.isFile() || listed.version().isEmpty() || listed.metadata().mtime().isPresent()
                || unlisted.travels()) {
            return listed;
        }
        Optional<Entry> earlier = r.earlier(listed.key());
        if (earlier.isEmpty() || earlier.get().size() != listed.size()
                || !earlier.get().version().orElseThrow().covers(listed.version().get())) {
            return listed;
        }
        return new Entry(listed.key(), EntryType.FILE, listed.size(), earlier.get().metadata(), earlier.get().checksum(),
                listed.version());
    }

    /**
     * Records a destination file as it now is, for the next run. Only a file whose metadata says
     * when it was modified is worth it: that is what a listing leaves out and a run must know.
     * Tags and descriptors that travel are read for each file anyway, so none is recorded then.
     */
    private void remember(Entry there) {
        DestinationRecord r = record;
        if (r != null && there.isFile() && there.metadata().mtime().isPresent() && !unlisted.travels()) {
            r.record(there);
        }
    }

    /** @return whether the file is at the destination (verified or not) */
    private boolean transferFile(Entry entry) {
        return transferFile(entry, replacesDeleted());
    }

    /** @param mayDefer whether a directory in the way may be waited out (see {@link TypeChanges}) */
    private boolean transferFile(Entry entry, boolean mayDefer) {
        String key = entry.key();
        FileCopier.Copied copied;
        FileMetadata written = policy.toWrite(entry.metadata());
        try {
            copied = copier.copy(entry, written);
            counters.filesTransferred.increment();
            counters.bytesTransferred.add(entry.size());
            counters.bytesWritten.add(entry.size());
            listener.itemTransferred(entry, true, copied.source());
        } catch (LocationException e) {
            if (cancelled.get()) {
                return false; // Abandoned by the cancel, not failed: the execution ends CANCELLED.
            }
            if (mayDefer && "TYPE_CONFLICT".equals(e.code()) && typeChanges.defer(entry)) {
                return false; // Tried again once the mirrored deletions are done.
            }
            counters.filesFailedTransfer.increment();
            fail(new FileFailure(key, "TRANSFER", e.code(), e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            counters.filesFailedTransfer.increment();
            LOG.error("event=transfer_bug {} key=\"{}\"", executionId, key, e);
            fail(new FileFailure(key, "TRANSFER", "INTERNAL", String.valueOf(e)));
            return false;
        } finally {
            putsDone();
        }
        logItem("file_transferred", key);
        // What was written is recorded for the next run unless it failed verification: that file is compared anew then.
        Entry kept = new Entry(key, entry.type(), entry.size(), written, copied.stored().checksum(), copied.stored().version());
        if (options.verifyMode() != TaskOptions.VerifyMode.ONLY_FILES_TRANSFERRED) {
            remember(kept);
            return true; // NONE checks chunks in flight only; POINT_IN_TIME_CONSISTENT compares everything at the end.
        }
        if (entry.type() == EntryType.FILE) {
            if (verify(entry, copied)) {
                remember(kept);
            }
        } else {
            verifyNode(entry);
        }
        return true;
    }

    /**
     * A link is checked by where it points, a device or FIFO by what node it is; neither is read
     * (reading a link follows it, reading a FIFO waits for a writer).
     */
    private void verifyNode(Entry entry) {
        try {
            Optional<Entry> there = destination.stat(entry.key());
            Optional<String> mismatch = there.isEmpty() ? Optional.of("nothing is at the destination")
                    : NodeComparison.mismatch(entry.metadata(), there.get().metadata());
            if (mismatch.isPresent()) {
                counters.filesFailedVerify.increment();
                fail(new FileFailure(entry.key(), "VERIFY", "VERIFICATION_FAILED", mismatch.get()));
                return;
            }
            counters.filesVerified.increment();
            listener.itemVerified(entry, Optional.empty());
        } catch (LocationException e) {
            counters.filesFailedVerify.increment();
            fail(new FileFailure(entry.key(), "VERIFY", e.code(), e.getMessage()));
        }
    }

    /**
     * The checksum of the bytes read at the source against the one the destination's store
     * computed over what it keeps, else against one read back from the destination. A store's
     * checksum that differs is not trusted to fail the file alone (some stores give ETags that
     * are no digest): the file is then read back, and only that decides.
     *
     * @return whether the file verified
     */
    private boolean verify(Entry entry, FileCopier.Copied copied) {
        String key = entry.key();
        verify.start();
        try {
            ContentChecksum source = copied.source().orElseThrow();
            Optional<ContentChecksum> stored = copied.stored().checksum();
            boolean same = source.equals(stored.orElse(null));
            if (!same) {
                // A store that kept another kind of checksum than it was asked for (one that ignores
                // CRC32C headers) says nothing against the file; one of the same kind that differs is worth a word.
                boolean sameKind = stored.isPresent() && stored.get().algorithm().equals(source.algorithm());
                if (sameKind && storeChecksumDiffered.compareAndSet(false, true)) {
                    LOG.warn("event=store_checksum_differs {} key=\"{}\" source={} store={} action=read_back", executionId, key,
                            source, stored.get());
                }
                same = source.equals(copier.destinationChecksum(key, source.algorithm()));
            }
            if (!same) {
                counters.filesFailedVerify.increment();
                fail(new FileFailure(key, "VERIFY", "VERIFICATION_FAILED",
                        "the destination's " + source.algorithm().label() + " differs from the source's"));
                return false;
            }
            Optional<UnlistedMetadata.Mismatch> unlistedDiffers = unlisted.mismatch(entry);
            if (unlistedDiffers.isPresent()) {
                counters.filesFailedVerify.increment();
                fail(new FileFailure(key, "VERIFY", unlistedDiffers.get().code(), unlistedDiffers.get().message()));
                return false;
            }
            counters.filesVerified.increment();
            listener.itemVerified(entry, copied.source());
            return true;
        } catch (LocationException e) {
            counters.filesFailedVerify.increment();
            fail(new FileFailure(key, "VERIFY", e.code(), e.getMessage()));
        } catch (IOException e) {
            counters.filesFailedVerify.increment();
            fail(new FileFailure(key, "VERIFY", "IO_ERROR", e.getMessage()));
        } catch (RuntimeException e) {
            counters.filesFailedVerify.increment();
            LOG.error("event=verify_bug {} key=\"{}\"", executionId, key, e);
            fail(new FileFailure(key, "VERIFY", "INTERNAL", String.valueOf(e)));
        } finally {
            verify.stop();
        }
        return false;
    }

    /** @return true: the content was there already; only its metadata may have failed */
    private boolean updateMetadata(Entry entry) {
        try {
            destination.setMetadata(entry.key(), policy.toWrite(entry.metadata()));
            counters.filesTransferred.increment();
            listener.itemTransferred(entry, false, Optional.empty());
        } catch (RuntimeException e) {
            counters.filesFailedTransfer.increment();
            String code = e instanceof LocationException le ? le.code() : "INTERNAL";
            fail(new FileFailure(entry.key(), "TRANSFER", code, "metadata could not be updated: " + e.getMessage()));
        } finally {
            putsDone();
        }
        return true;
    }

    private void putsDone() {
        if (putsInFlight.decrementAndGet() == 0 && listingDone) {
            transfer.stop();
            if (options.verifyMode() == TaskOptions.VerifyMode.ONLY_FILES_TRANSFERRED && verify.running()
                    && verifying.compareAndSet(false, true)) {
                listener.phaseStarted(Phase.VERIFYING);
            }
        }
    }

    /** Waits for every file in flight. */
    private void drain() {
        try {
            slots.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
        transfer.stop();
    }

    private void fail(FileFailure failure) {
        firstFailure.compareAndSet(null, failure);
        if (options.logLevel() != TaskOptions.LogLevel.OFF) {
            LOG.warn("event=item_failed {} phase={} code={} key=\"{}\" error=\"{}\"",
                    executionId, failure.phase(), failure.code(), failure.key(), failure.message());
        }
        listener.itemFailed(failure);
    }
}
