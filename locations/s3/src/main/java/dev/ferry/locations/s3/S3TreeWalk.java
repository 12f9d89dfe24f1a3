package dev.ferry.locations.s3;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.KeyOrder;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.StoreVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Lists a prefix directory by directory ({@code delimiter=/}), depth first, entering each
 * directory where its prefix falls among its siblings. That is S3's own key order, so the walk
 * yields the same canonical listing as one flat listing of the prefix would, while the
 * directories still ahead are listed in parallel, several requests at once: a large tree is
 * listed at the rate of many requests, not of one request after another, and a store that pays
 * for a flat listing by the size of the whole bucket (S3Proxy's file-system store reads every
 * object's metadata for each page) pays per directory instead. Directories the scope rules out
 * are listed but not entered.
 *
 * <p>Memory holds, per level of depth, one page, and at most {@link #LISTINGS_AHEAD} first pages
 * of directories not entered yet: never the whole tree.
 */
final class S3TreeWalk implements Iterator<Entry>, AutoCloseable {
    /** Listing requests on their way at once. */
    static final int LISTINGS_IN_FLIGHT = 16;
    /** Directories listed ahead of the walk, done or on their way. */
    static final int LISTINGS_AHEAD = 32;

    /**
     * One name of a page: an object, or a common prefix (a directory below). Keys relative to the
     * root; an object's version where the store listed its ETag and date.
     */
    private record Item(String key, boolean directory, long size, Optional<StoreVersion> version) {
    }

    /** @param continuation where the next page starts; null on the last page */
    private record Page(List<Item> items, String continuation) {
    }

    /** A directory being walked: the page at hand, and the next one on its way. */
    private static final class Level {
        final String dirKey;
        List<Item> items = List.of();
        int next;
        /** Items before this index have been considered for listing ahead. */
        int lookedAhead;
        CompletableFuture<Page> following;

        Level(String dirKey, CompletableFuture<Page> first) {
            this.dirKey = dirKey;
            this.following = first;
        }
    }

    /** Names per listing request: S3's most. */
    static final int PAGE_SIZE = 1000;

    /** Lists one page: the keys under a prefix, grouped at {@code /}, from a continuation token or the start. */
    @FunctionalInterface
    interface Lister {
        S3ListPage page(String prefix, String continuation, int pageSize);
    }

    private final Lister lister;
    private final String rootPrefix;
    private final ListingScope scope;
    private final int pageSize;
    private final ThreadPoolExecutor listers;
    private final Deque<Level> stack = new ArrayDeque<>();
    /** First pages of directories not entered yet, by directory key. */
    private final Map<String, CompletableFuture<Page>> ahead = new HashMap<>();
    private Entry pending;

    S3TreeWalk(Lister lister, String rootPrefix, ListingScope scope, int pageSize) {
        this.lister = lister;
        this.rootPrefix = rootPrefix;
        this.scope = scope;
        this.pageSize = pageSize;
        AtomicInteger count = new AtomicInteger();
        // Platform threads: a listing request blocks, and must never hold the carriers of the
        // virtual threads that keep heartbeats and transfers going.
        this.listers = new ThreadPoolExecutor(LISTINGS_IN_FLIGHT, LISTINGS_IN_FLIGHT, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "s3-listing-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        listers.allowCoreThreadTimeOut(true);
        // The root's first page at once: a location that cannot list at all says so when asked to.
        Level root = new Level(Keys.ROOT, null);
        install(root, await(fetch(Keys.ROOT, null), Keys.ROOT));
        stack.push(root);
        lookAhead();
    }

    /** The walk as a stream; closing it stops the listings on their way. */
    static Stream<Entry> stream(Lister lister, String rootPrefix, ListingScope scope, int pageSize) {
        S3TreeWalk walk = new S3TreeWalk(lister, rootPrefix, scope, pageSize);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walk, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(walk::close);
    }

    @Override
    public boolean hasNext() {
        while (pending == null && !stack.isEmpty()) {
            Level top = stack.peek();
            if (top.next >= top.items.size()) {
                if (top.following == null) {
                    stack.pop();
                    continue;
                }
                install(top, await(top.following, top.dirKey));
                lookAhead();
                continue;
            }
            Item item = top.items.get(top.next++);
            if (item.directory) {
                pending = new Entry(item.key, EntryType.DIRECTORY, 0, FileMetadata.NONE);
                if (scope.descend(item.key)) {
                    CompletableFuture<Page> first = ahead.remove(item.key);
                    stack.push(new Level(item.key, first != null ? first : fetch(item.key, null)));
                }
            } else if (!item.key.equals(top.dirKey)) { // a directory's marker object: listed as the prefix already
                pending = new Entry(item.key, EntryType.FILE, item.size, FileMetadata.NONE, Optional.empty(), item.version);
            }
        }
        if (pending == null) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = pending;
        pending = null;
        return entry;
    }

    /** Stops the listings still on their way. */
    @Override
    public void close() {
        listers.shutdownNow();
    }

    private void install(Level level, Page page) {
        level.items = page.items;
        level.next = 0;
        level.lookedAhead = 0;
        level.following = page.continuation == null ? null : fetch(level.dirKey, page.continuation);
    }

    /**
     * Starts listing the directories the walk will enter next: the deepest level's first, since
     * the walk enters them before its parents' later ones, until {@link #LISTINGS_AHEAD} are out.
     */
    private void lookAhead() {
        for (Level level : stack) {
            for (int i = Math.max(level.next, level.lookedAhead); i < level.items.size(); i++) {
                if (ahead.size() >= LISTINGS_AHEAD) {
                    return;
                }
                Item item = level.items.get(i);
                if (item.directory && scope.descend(item.key)) {
                    ahead.put(item.key, fetch(item.key, null));
                }
                level.lookedAhead = i + 1;
            }
        }
    }

    private CompletableFuture<Page> fetch(String dirKey, String continuation) {
        return CompletableFuture.supplyAsync(() -> listPage(dirKey, continuation), listers);
    }

    private Page listPage(String dirKey, String continuation) {
        S3ListPage page = lister.page(rootPrefix + dirKey, continuation, pageSize);
        List<S3ListPage.Listed> objects = page.objects();
        List<String> prefixes = page.prefixes();
        // The store sends a page's objects and prefixes apart, each in order: merged, they are the page in key order.
        List<Item> items = new ArrayList<>(objects.size() + prefixes.size());
        int o = 0;
        int p = 0;
        while (o < objects.size() || p < prefixes.size()) {
            boolean takeObject = p >= prefixes.size()
                    || o < objects.size() && KeyOrder.compare(objects.get(o).key(), prefixes.get(p)) < 0;
            if (takeObject) {
                S3ListPage.Listed object = objects.get(o++);
                Optional<StoreVersion> version = object.etag().isEmpty() || object.lastModified().isEmpty() ? Optional.empty()
                        : Optional.of(StoreVersion.listed(object.etag().get(), object.lastModified().get()));
                items.add(new Item(relative(object.key()), false, object.size(), version));
            } else {
                items.add(new Item(relative(prefixes.get(p++)), true, 0, Optional.empty()));
            }
        }
        return new Page(items, page.continuation());
    }

    private String relative(String key) {
        return key.substring(rootPrefix.length());
    }

    private Page await(CompletableFuture<Page> page, String dirKey) {
        String key = dirKey.isEmpty() ? "/" : dirKey;
        try {
            return page.join();
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof RuntimeException cause ? S3Location.failure(key, cause)
                    : new LocationException("LISTING_FAILED", key + ": " + e.getCause(), e.getCause());
        }
    }
}
