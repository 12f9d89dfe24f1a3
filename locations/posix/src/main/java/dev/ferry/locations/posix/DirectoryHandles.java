package dev.ferry.locations.posix;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Opens files under a root through open handles of their directories, each opened relative to its
 * parent's without following a symbolic link ({@code openat} with {@code O_NOFOLLOW}), so that no
 * file opened here can lie outside the root, even if a directory on the way is swapped for a link
 * meanwhile. Checking each directory for a link by its path instead costs an {@code lstat} per
 * level for every file (three for a file three levels down, a fifth of the agent's work per small
 * file) and leaves a moment between check and open.
 *
 * <p>Handles are kept for reuse by the next files of the same directory, at most {@link #MAX_OPEN}
 * of them and for at most {@link #MAX_AGE_NANOS}: a handle follows its directory, so a directory
 * renamed or replaced since it was opened is seen under its new name only that long. Handles
 * unused that long are closed by a sweep, so that none keeps a file system busy after its reads.
 *
 * <p>Thread-safe; handles are shared by concurrent readers.
 */
final class DirectoryHandles implements AutoCloseable {
    static final int MAX_OPEN = 64;
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Set<OpenOption> READ_NO_FOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("posix-directory-sweeper").daemon().factory());

    private final Path root;
    private final long maxAgeNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Directory (relative to the root, "" for the root) to its handle, eldest use first. */
    private final LinkedHashMap<String, Handle> handles = new LinkedHashMap<>(16, 0.75f, true);
    private boolean sweepScheduled;
    private boolean closed;

    private static final class Handle {
        final SecureDirectoryStream<Path> directory;
        final long openedAt;
        int users;
        boolean retired;

        Handle(SecureDirectoryStream<Path> directory, long openedAt) {
            this.directory = directory;
            this.openedAt = openedAt;
        }
    }

    DirectoryHandles(Path root) {
        this(root, MAX_AGE_NANOS);
    }

    /** @param maxAgeNanos how long a handle is reused and kept (tests shorten it) */
    DirectoryHandles(Path root, long maxAgeNanos) {
        this.root = root;
        this.maxAgeNanos = maxAgeNanos;
    }

    /**
     * Opens the file at {@code relative} (a key without its leading or trailing slash) for reading,
     * following no link on the way nor at its end.
     *
     * @return the open file, or empty where the platform opens no directory relative to another
     * @throws IOException when a directory on the way or the file cannot be opened: a link, a
     *     missing name, a file where a directory should be
     */
    Optional<SeekableByteChannel> openRead(String relative) throws IOException {
        int slash = relative.lastIndexOf('/');
        Optional<Handle> directory = acquire(slash < 0 ? "" : relative.substring(0, slash));
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path name = Path.of(relative.substring(slash + 1));
            return Optional.of(directory.get().directory.newByteChannel(name, READ_NO_FOLLOW));
        } finally {
            release(directory.get());
        }
    }

    /** The directory's handle, held for the caller until {@link #release}: reused while fresh, else opened. */
    private Optional<Handle> acquire(String directory) throws IOException {
        long now = System.nanoTime();
        lock.lock();
        try {
            if (closed) {
                throw new IOException("location is closed");
            }
            Handle known = handles.get(directory);
            if (known != null && now - known.openedAt < maxAgeNanos) {
                known.users++;
                return Optional.of(known);
            }
        } finally {
            lock.unlock();
        }
        Optional<SecureDirectoryStream<Path>> opened = open(directory);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Handle fresh = new Handle(opened.get(), now);
        fresh.users = 1;
        List<Handle> toClose = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                fresh.retired = true;
                fresh.users = 0;
                toClose.add(fresh);
                throw new IOException("location is closed");
            }
            Handle replaced = handles.put(directory, fresh);
            if (replaced != null) {
                retire(replaced, toClose);
            }
            Iterator<Handle> eldest = handles.values().iterator();
            while (handles.size() > MAX_OPEN && eldest.hasNext()) {
                Handle h = eldest.next();
                if (h != fresh) {
                    eldest.remove();
                    retire(h, toClose);
                }
            }
            scheduleSweep();
        } finally {
            lock.unlock();
            closeAll(toClose);
        }
        return Optional.of(fresh);
    }

    /** Opens a directory through its parent's handle, or the root by its path (which may itself be a link). */
    private Optional<SecureDirectoryStream<Path>> open(String directory) throws IOException {
        if (directory.isEmpty()) {
            DirectoryStream<Path> stream = Files.newDirectoryStream(root);
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                return Optional.of(secure);
            }
            stream.close();
            return Optional.empty();
        }
        int slash = directory.lastIndexOf('/');
        Optional<Handle> parent = acquire(slash < 0 ? "" : directory.substring(0, slash));
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parent.get().directory.newDirectoryStream(Path.of(directory.substring(slash + 1)), LinkOption.NOFOLLOW_LINKS));
        } finally {
            release(parent.get());
        }
    }

    private void release(Handle handle) {
        boolean close;
        lock.lock();
        try {
            handle.users--;
            close = handle.retired && handle.users == 0;
        } finally {
            lock.unlock();
        }
        if (close) {
            closeQuietly(handle);
        }
    }

    /** Takes a handle out of use: closed now if nobody holds it, else by its last user. Under the lock. */
    private static void retire(Handle handle, List<Handle> toClose) {
        handle.retired = true;
        if (handle.users == 0) {
            toClose.add(handle);
        }
    }

    /** Under the lock: a sweep while any handle is kept, so that none outlives its age for long unused. */
    private void scheduleSweep() {
        if (!sweepScheduled && !handles.isEmpty()) {
            sweepScheduled = true;
            SWEEPER.schedule(this::sweep, maxAgeNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        List<Handle> toClose = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            sweepScheduled = false;
            Iterator<Map.Entry<String, Handle>> it = handles.entrySet().iterator();
            while (it.hasNext()) {
                Handle h = it.next().getValue();
                if (now - h.openedAt >= maxAgeNanos) {
                    it.remove();
                    retire(h, toClose);
                }
            }
            if (!closed) {
                scheduleSweep();
            }
        } finally {
            lock.unlock();
            closeAll(toClose);
        }
    }

    /** How many directory handles are kept open. */
    int openCount() {
        lock.lock();
        try {
            return handles.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<Handle> toClose = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Handle h : handles.values()) {
                retire(h, toClose);
            }
            handles.clear();
        } finally {
            lock.unlock();
            closeAll(toClose);
        }
    }

    private static void closeAll(List<Handle> handles) {
        handles.forEach(DirectoryHandles::closeQuietly);
    }

    private static void closeQuietly(Handle handle) {
        try {
            handle.directory.close();
        } catch (IOException ignored) {
            // A directory opened for reading has nothing to lose on close.
        }
    }
}
