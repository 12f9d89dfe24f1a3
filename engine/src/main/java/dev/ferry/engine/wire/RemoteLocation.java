package dev.ferry.engine.wire;

import com.google.protobuf.Message;
import dev.ferry.locations.ArrayContent;
import dev.ferry.locations.Capability;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ChecksummedInputStream;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.LocationTraits;
import dev.ferry.locations.Stored;
import dev.ferry.locations.UnsupportedCapabilityException;
import dev.ferry.locations.WholeContent;
import dev.ferry.protocol.data.Cancel;
import dev.ferry.protocol.data.ChecksumRequest;
import dev.ferry.protocol.data.ChecksumResult;
import dev.ferry.protocol.data.Error;
import dev.ferry.protocol.data.FileOpen;
import dev.ferry.protocol.data.ListPage;
import dev.ferry.protocol.data.ListRequest;
import dev.ferry.protocol.data.MakeDirectory;
import dev.ferry.protocol.data.ReadRequest;
import dev.ferry.protocol.data.Remove;
import dev.ferry.protocol.data.SetMetadata;
import dev.ferry.protocol.data.StatRequest;
import dev.ferry.protocol.data.StatResult;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A location that agents serve, used as if it were local: every call is a request on one of the
 * data connections the agents opened for this execution. Requests spread over the connections,
 * each going to the one with the fewest streams open, so with several agents (each reaching the
 * same storage) the work is shared among them as they take it, and an agent that is lost leaves
 * its share to the others: its connections close, and calls tried again go elsewhere.
 */
public final class RemoteLocation implements Location {
    /** Tries of a request that may be made twice, on another connection when one dies under it. */
    static final int CALL_ATTEMPTS = 3;

    private final String kind;
    private final Set<Capability> capabilities;
    private final Duration timeGranularity;
    private final int modeBits;
    private final Duration connectTimeout;
    private final List<DataConnection> connections = new CopyOnWriteArrayList<>();
    private final Map<DataConnection, String> agentOf = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition attached = lock.newCondition();
    private volatile String lostReason;

    /**
     * @param kind the served location's kind
     * @param traits what the served location declares; object tags and store checksums are left
     *     out, since the data channel does not carry them yet and a declared ability must work
     * @param connectTimeout how long a call waits for the agent's first connection
     */
    public RemoteLocation(String kind, LocationTraits traits, Duration connectTimeout) {
        this.kind = kind;
        this.capabilities = traits.capabilities().stream().filter(c -> c != Capability.OBJECT_TAGS && c != Capability.NATIVE_CHECKSUM)
                .collect(Collectors.toUnmodifiableSet());
        this.timeGranularity = traits.timeGranularity();
        this.modeBits = traits.modeBits();
        this.connectTimeout = connectTimeout;
    }

    /** Adds a connection an agent opened for this location. */
    public void attach(DataConnection connection) {
        attach("", connection);
    }

    /** Adds a connection {@code agentId} opened for this location. */
    public void attach(String agentId, DataConnection connection) {
        agentOf.put(connection, agentId);
        connections.add(connection);
        lock.lock();
        try {
            attached.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One of several agents is gone: its connections are closed, so that calls waiting on them
     * fail now rather than on a TCP timeout (a host that lost power never closes them), and their
     * callers try them again on the agents left. When none is left, that is {@link #lost}.
     */
    public void agentLost(String agentId, String reason) {
        for (DataConnection connection : connections) {
            if (agentId.equals(agentOf.get(connection))) {
                connections.remove(connection);
                agentOf.remove(connection);
                connection.close(reason);
            }
        }
    }

    /**
     * Every agent is gone: future calls fail, and the connections are closed so that calls waiting
     * on them fail now rather than on a TCP timeout (a host that lost power never closes them).
     */
    public void lost(String reason) {
        lostReason = reason;
        for (DataConnection connection : connections) {
            connection.close(reason);
        }
        lock.lock();
        try {
            attached.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int connectionCount() {
        return (int) connections.stream().filter(DataConnection::isOpen).count();
    }

    /**
     * Waits until every agent in {@code agents} has a connection open, so that the first requests
     * are spread over all of them (a large file is one agent's whole run): at most
     * {@code firstWithin} for the first, then at most {@code restWithin} more for the others, which
     * are left out of the start when late (they take requests whenever they connect).
     *
     * @return the agents connected
     */
    public Set<String> awaitAgents(Set<String> agents, Duration firstWithin, Duration restWithin)
            throws InterruptedException {
        long deadline = System.nanoTime() + firstWithin.toNanos();
        boolean anyConnected = false;
        lock.lock();
        try {
            while (lostReason == null) {
                Set<String> connected = agents();
                if (connected.containsAll(agents)) {
                    break;
                }
                if (!anyConnected && !connected.isEmpty()) {
                    anyConnected = true;
                    deadline = Math.min(deadline, System.nanoTime() + restWithin.toNanos());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                attached.await(left, TimeUnit.NANOSECONDS);
            }
            return agents();
        } finally {
            lock.unlock();
        }
    }

    /** How many requests each agent was given, lost ones included, by agent id. */
    public Map<String, Long> requestsByAgent() {
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((agent, n) -> counts.put(agent, n.sum()));
        return counts;
    }

    /** The agents with a connection open. */
    public Set<String> agents() {
        return connections.stream().filter(DataConnection::isOpen).map(c -> agentOf.getOrDefault(c, ""))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Payload bytes of chunks received from the agent, as they crossed the wire. */
    public long wireBytesReceived() {
        return connections.stream().mapToLong(DataConnection::wireBytesReceived).sum();
    }

    /** Payload bytes of chunks sent to the agent, as they crossed the wire. */
    public long wireBytesSent() {
        return connections.stream().mapToLong(DataConnection::wireBytesSent).sum();
    }

    private FrameStream open() {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (lostReason != null) {
                    throw new LocationException("AGENT_UNAVAILABLE", lostReason);
                }
                Optional<DataConnection> best = leastLoaded();
                if (best.isPresent()) {
                    try {
                        FrameStream stream = best.get().open();
                        requests.computeIfAbsent(agentOf.getOrDefault(best.get(), ""), a -> new LongAdder())
                                .increment();
                        return stream;
                    } catch (IOException closedMeanwhile) {
                        continue;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LocationException("AGENT_UNAVAILABLE",
                            connections.isEmpty() ? "the agent did not connect to the data channel within " + connectTimeout
                                    : "every data connection to the agent is closed");
                }
                attached.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocationException("CANCELLED", "interrupted waiting for the agent");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The open connection of the agent with the fewest streams open (across its connections; on
     * a tie, the one given the fewest requests so far), and of its connections the one with the
     * fewest: requests spread over agents first, then over each agent's connections.
     */
    private Optional<DataConnection> leastLoaded() {
        Map<String, Integer> load = new HashMap<>();
        for (DataConnection connection : connections) {
            if (connection.isOpen()) {
                load.merge(agentOf.getOrDefault(connection, ""), connection.openStreams(), Integer::sum);
            }
        }
        Optional<String> agent = load.entrySet().stream().min(Comparator.<Map.Entry<String, Integer>>comparingInt(
                Map.Entry::getValue).thenComparingLong(e -> requested(e.getKey()))).map(Map.Entry::getKey);
        return agent.flatMap(a -> connections.stream().filter(c -> c.isOpen() && a.equals(agentOf.getOrDefault(c, "")))
                .min(Comparator.comparingInt(DataConnection::openStreams)));
    }

    private long requested(String agent) {
        LongAdder n = requests.get(agent);
        return n == null ? 0 : n.sum();
    }

    /**
     * Sends one request and waits for its one answer, which must be of type {@code expected}.
     * Every such request may be made twice (stat, checksum, make a directory, set metadata,
     * remove and link are all idempotent), so one whose connection died under it, as when one
     * of several agents is lost, is sent again on another while any is open.
     */
    private <T extends Message> T call(String key, Message request, Class<T> expected) {
        for (int attempt = 1; ; attempt++) {
            try (FrameStream stream = open()) {
                stream.sendLast(request);
                Frame answer = (Frame) stream.take();
                return expectAnswer(answer, key, expected);
            } catch (IOException e) {
                if (attempt < CALL_ATTEMPTS && lostReason == null && connectionCount() > 0) {
                    continue;
                }
                throw new LocationException("AGENT_UNAVAILABLE", key + ": " + describe(e), e);
            }
        }
    }

    /** A connection closed under a request says so with no message of its own. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
            if (t instanceof ClosedChannelException) {
                return "the data connection closed";
            }
        }
        return e.toString();
    }

    private static <T extends Message> T expectAnswer(Frame answer, String key, Class<T> expected) {
        if (answer.type() == FrameType.ERROR) {
            throw WireErrors.fromWire(answer.header(Error.class), key);
        }
        return answer.header(expected);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Duration timeGranularity() {
        return timeGranularity;
    }

    @Override
    public int modeBits() {
        return modeBits;
    }

    @Override
    public Stream<Entry> list() {
        return list(dev.ferry.locations.ListingScope.EVERYTHING);
    }

    /** Filters travel to the agent, which prunes its walk and sends only what they include. */
    @Override
    public Stream<Entry> list(dev.ferry.locations.ListingScope scope) {
        ListRequest.Builder request = ListRequest.newBuilder();
        if (scope instanceof dev.ferry.engine.transfer.FilterRules rules) {
            request.setIncludes(rules.includes()).setExcludes(rules.excludes());
        }
        FrameStream stream = open();
        try {
            stream.sendLast(request.build());
        } catch (IOException e) {
            stream.close();
            throw new LocationException("AGENT_UNAVAILABLE", "listing: " + e.getMessage(), e);
        }
        RemoteListing listing = new RemoteListing(stream);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(listing::close);
    }

    @Override
    public Optional<Entry> stat(String key) {
        Keys.requireValidOrRoot(key);
        StatResult result = call(key, StatRequest.newBuilder().setKey(key).build(), StatResult.class);
        return result.hasEntry() ? Optional.of(WireConverters.fromWire(result.getEntry())) : Optional.empty();
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        if (offset != 0 && !capabilities.contains(Capability.RANGED_READ)) {
            throw new UnsupportedCapabilityException(kind, Capability.RANGED_READ);
        }
        // From the start, the sender's SHA-256 covers exactly what arrives and is checked here.
        return read(key, offset, ChecksumAlgorithm.SHA256, offset == 0);
    }

    /**
     * The agent computes the checksum as it reads the file from storage; it is not checked here
     * against what arrived, since the caller compares it with what the destination holds, which
     * checks the whole way. Chunks are checked against their CRC32C as ever.
     */
    @Override
    public ChecksummedInputStream openChecksummed(String key, ChecksumAlgorithm algorithm) {
        Keys.requireValid(key);
        return new ReceivedFile(read(key, 0, algorithm, false));
    }

    /** A file as it arrives, with the checksum its sender computed, which can be taken whole when it came in one chunk. */
    private static final class ReceivedFile extends ChecksummedInputStream implements WholeContent {
        private final ChunkInputStream chunks;

        ReceivedFile(ChunkInputStream chunks) {
            super(chunks);
            this.chunks = chunks;
        }

        @Override
        public ContentChecksum checksum() {
            return chunks.senderChecksum();
        }

        @Override
        public Optional<ArrayContent> readWhole() throws IOException {
            return chunks.readWhole();
        }
    }

    private ChunkInputStream read(String key, long offset, ChecksumAlgorithm algorithm, boolean verifyHere) {
        FrameStream stream = open();
        try {
            stream.sendLast(ReadRequest.newBuilder().setKey(key).setOffset(offset)
                    .setChecksumAlgorithm(WireConverters.toWire(algorithm)).build());
            Frame first = (Frame) stream.take();
            expectAnswer(first, key, FileOpen.class);
        } catch (IOException e) {
            stream.close();
            throw new LocationException("AGENT_UNAVAILABLE", key + ": " + describe(e), e);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        return new ChunkInputStream(stream, key, offset, verifyHere ? Optional.of(algorithm) : Optional.empty(), () -> {
            stream.connection().writeQuietly(Frame.last(stream.id(), Cancel.getDefaultInstance()));
            stream.close();
        }) {
            @Override
            public void close() {
                super.close();
                stream.close();
            }
        };
    }

    @Override
    public Stored put(String key, long size, FileMetadata metadata, InputStream content) {
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new dev.ferry.locations.InvalidKeyException(key, "a file key must not end with '/'");
        }
        try (FrameStream stream = open()) {
            try {
                stream.send(FileOpen.newBuilder().setKey(key).setSize(size).setMetadata(WireConverters.toWire(metadata)).build());
                ChunkSender.send(stream, content, key, 0, size, size, ChecksumAlgorithm.SHA256);
            } catch (LocationException | IOException e) {
                if (stream.peerError().isPresent()) {
                    // The agent gave up on the file first (a full disk, a refused path): its reason counts.
                    throw WireErrors.fromWire(stream.peerError().get(), key);
                }
                // Tell the agent to drop what it wrote; it then answers with an error we ignore.
                stream.connection().writeQuietly(Frame.last(stream.id(), WireErrors.toWire(e)));
                if (e instanceof LocationException le) {
                    throw le;
                }
                if (e.getCause() instanceof LocationException le) {
                    throw le;
                }
                throw new LocationException("SOURCE_READ_FAILED", key + ": " + (e.getMessage() != null ? e.getMessage() : e), e);
            }
            Frame answer = (Frame) stream.take();
            dev.ferry.protocol.data.Ack ack = expectAnswer(answer, key, dev.ferry.protocol.data.Ack.class);
            // An agent's store reports no version over the wire: records of writes are the control plane's own stores'.
            return Stored.checksum(ack.hasStoreChecksum() ? Optional.of(WireConverters.fromWire(ack.getStoreChecksum())) : Optional.empty());
        } catch (IOException e) {
            throw new LocationException("AGENT_UNAVAILABLE", key + ": " + describe(e), e);
        }
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        Keys.requireValid(key);
        call(key, MakeDirectory.newBuilder().setKey(key).setMetadata(WireConverters.toWire(metadata)).build(),
                dev.ferry.protocol.data.Done.class);
    }

    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        call(key, Remove.newBuilder().setKey(key).build(), dev.ferry.protocol.data.Done.class);
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        Keys.requireValidOrRoot(key);
        if (!capabilities.contains(Capability.SET_METADATA)) {
            throw new UnsupportedCapabilityException(kind, Capability.SET_METADATA);
        }
        call(key, SetMetadata.newBuilder().setKey(key).setMetadata(WireConverters.toWire(metadata)).build(),
                dev.ferry.protocol.data.Done.class);
    }

    @Override
    public void link(String existingKey, String key) {
        Keys.requireValid(existingKey);
        Keys.requireValid(key);
        if (!capabilities.contains(Capability.HARD_LINKS)) {
            throw new UnsupportedCapabilityException(kind, Capability.HARD_LINKS);
        }
        call(key, dev.ferry.protocol.data.Link.newBuilder().setExistingKey(existingKey).setKey(key).build(),
                dev.ferry.protocol.data.Done.class);
    }

    @Override
    public dev.ferry.locations.SecurityDescriptor securityDescriptor(String key,
            Set<dev.ferry.locations.SecurityDescriptor.Part> parts) {
        Keys.requireValidOrRoot(key);
        if (!capabilities.contains(Capability.ACL)) {
            throw new UnsupportedCapabilityException(kind, Capability.ACL);
        }
        dev.ferry.protocol.data.SecurityDescriptorResult result = call(key, dev.ferry.protocol.data.SecurityDescriptorRequest
                        .newBuilder().setKey(key).setParts(dev.ferry.locations.SecurityDescriptor.Part.bits(parts)).build(),
                dev.ferry.protocol.data.SecurityDescriptorResult.class);
        try {
            return WireConverters.securityDescriptor(result.getSelfRelative(), result.getParts());
        } catch (IllegalArgumentException e) {
            throw new LocationException("PROTOCOL", key + ": the agent sent " + e.getMessage(), e);
        }
    }

    /** A checksum computed where the file is, so verification moves no file bytes over the wire. */
    public ContentChecksum checksum(String key, ChecksumAlgorithm algorithm) {
        Keys.requireValid(key);
        ChecksumResult result = call(key, ChecksumRequest.newBuilder().setKey(key).setAlgorithm(WireConverters.toWire(algorithm)).build(),
                ChecksumResult.class);
        ContentChecksum checksum = WireConverters.fromWire(result.getChecksum());
        if (!checksum.algorithm().equals(algorithm)) {
            throw new LocationException("PROTOCOL", key + ": asked for a " + algorithm + " checksum, the agent sent " + checksum);
        }
        return checksum;
    }

    @Override
    public void close() {
        for (DataConnection connection : connections) {
            connection.close("execution finished");
        }
    }

    /** Pages of a remote listing, fetched as the caller iterates; credit bounds what is buffered. */
    private static final class RemoteListing implements Iterator<Entry> {
        private final FrameStream stream;
        private final Deque<Entry> page = new ArrayDeque<>();
        private boolean ended;

        RemoteListing(FrameStream stream) {
            this.stream = stream;
        }

        @Override
        public boolean hasNext() {
            while (page.isEmpty() && !ended) {
                Frame frame;
                try {
                    frame = (Frame) stream.take();
                } catch (IOException e) {
                    throw new LocationException("AGENT_UNAVAILABLE", "listing was cut off: " + describe(e), e);
                }
                ListPage listPage = expectAnswer(frame, "/", ListPage.class);
                stream.consumed(listPage.getSerializedSize());
                for (dev.ferry.protocol.data.Entry e : listPage.getEntriesList()) {
                    page.add(WireConverters.fromWire(e));
                }
                ended = frame.endsStream();
            }
            return !page.isEmpty();
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.poll();
        }

        void close() {
            if (!ended) {
                stream.connection().writeQuietly(Frame.last(stream.id(), Cancel.getDefaultInstance()));
            }
            stream.close();
        }
    }
}
