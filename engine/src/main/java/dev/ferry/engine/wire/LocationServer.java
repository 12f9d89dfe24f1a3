package dev.ferry.engine.wire;

import com.google.protobuf.ByteString;
import dev.ferry.locations.ChannelInputStream;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.Entry;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.protocol.data.Ack;
import dev.ferry.protocol.data.ChecksumRequest;
import dev.ferry.protocol.data.ChecksumResult;
import dev.ferry.protocol.data.Done;
import dev.ferry.protocol.data.FileOpen;
import dev.ferry.protocol.data.ListPage;
import dev.ferry.protocol.data.MakeDirectory;
import dev.ferry.protocol.data.ReadRequest;
import dev.ferry.protocol.data.Remove;
import dev.ferry.protocol.data.SetMetadata;
import dev.ferry.protocol.data.StatRequest;
import dev.ferry.protocol.data.StatResult;
import dev.ferry.protocol.frame.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link Location} to the requesting side of data connections: each request runs on its
 * own virtual thread, since location calls block. This is what an agent runs for a location it
 * reaches; {@link RemoteLocation} is its counterpart.
 */
public final class LocationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocationServer.class);
    private static final int PAGE_ENTRIES = 1000;
    /**
     * A page is one frame header, which the frame format caps at 65,535 bytes; this leaves room
     * for the page's own framing. One entry (a 1,024-byte key, a 4,095-byte link target, names)
     * always fits.
     */
    private static final int PAGE_BYTES = 60_000;
    /** What the repeated field costs per entry on top of the entry itself (tag and length). */
    private static final int ENTRY_OVERHEAD = 4;

    private final Location location;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    public LocationServer(Location location) {
        this.location = location;
    }

    /** The request handler to give a serving {@link DataConnection}. */
    public void accept(FrameStream stream, Frame first) {
        workers.execute(() -> serve(stream, first));
    }

    private void serve(FrameStream stream, Frame first) {
        try {
            answer(stream, first);
        } finally {
            stream.close();
        }
    }

    /** Answers one request; every failure is sent back on the stream with its code. */
    private void answer(FrameStream stream, Frame first) {
        String key = "";
        try {
            switch (first.type()) {
                case LIST -> list(stream, first.header(dev.ferry.protocol.data.ListRequest.class));
                case STAT -> {
                    key = first.header(StatRequest.class).getKey();
                    StatResult.Builder result = StatResult.newBuilder();
                    location.stat(key).ifPresent(e -> result.setEntry(WireConverters.toWire(e)));
                    stream.sendLast(result.build());
                }
                case READ -> {
                    ReadRequest read = first.header(ReadRequest.class);
                    key = read.getKey();
                    read(stream, read);
                }
                case FILE_OPEN -> {
                    FileOpen open = first.header(FileOpen.class);
                    key = open.getKey();
                    // Writers send SHA-256 (RemoteLocation#put), checked here against what arrived.
                    ChunkInputStream content = new ChunkInputStream(stream, key, 0, Optional.of(ChecksumAlgorithm.SHA256), () -> { });
                    Optional<ContentChecksum> stored = location.put(key, open.getSize(), WireConverters.fromWire(open.getMetadata()),
                            content).checksum();
                    Ack.Builder ack = Ack.newBuilder().setBytesWritten(open.getSize());
                    stored.ifPresent(c -> ack.setStoreChecksum(WireConverters.toWire(c)));
                    stream.sendLast(ack.build());
                }
                case MAKE_DIRECTORY -> {
                    MakeDirectory md = first.header(MakeDirectory.class);
                    key = md.getKey();
                    location.makeDirectory(key, WireConverters.fromWire(md.getMetadata()));
                    stream.sendLast(Done.getDefaultInstance());
                }
                case SET_METADATA -> {
                    SetMetadata sm = first.header(SetMetadata.class);
                    key = sm.getKey();
                    location.setMetadata(key, WireConverters.fromWire(sm.getMetadata()));
                    stream.sendLast(Done.getDefaultInstance());
                }
                case LINK -> {
                    dev.ferry.protocol.data.Link link = first.header(dev.ferry.protocol.data.Link.class);
                    key = link.getKey();
                    location.link(link.getExistingKey(), key);
                    stream.sendLast(Done.getDefaultInstance());
                }
                case REMOVE -> {
                    key = first.header(Remove.class).getKey();
                    location.remove(key);
                    stream.sendLast(Done.getDefaultInstance());
                }
                case CHECKSUM -> {
                    ChecksumRequest request = first.header(ChecksumRequest.class);
                    key = request.getKey();
                    ChecksumAlgorithm algorithm = WireConverters.fromWire(request.getAlgorithm());
                    long size = location.stat(key).orElseThrow(() -> new NotFoundException(request.getKey())).size();
                    ContentChecksum checksum;
                    try (InputStream in = location.openRead(key, 0)) {
                        checksum = ContentDigest.of(algorithm, in);
                    }
                    stream.sendLast(ChecksumResult.newBuilder().setSize(size).setChecksum(WireConverters.toWire(checksum)).build());
                }
                case SECURITY_DESCRIPTOR -> {
                    dev.ferry.protocol.data.SecurityDescriptorRequest request =
                            first.header(dev.ferry.protocol.data.SecurityDescriptorRequest.class);
                    key = request.getKey();
                    SecurityDescriptor descriptor = location.securityDescriptor(key,
                            SecurityDescriptor.Part.fromBits(request.getParts()));
                    stream.sendLast(dev.ferry.protocol.data.SecurityDescriptorResult.newBuilder()
                            .setSelfRelative(ByteString.copyFrom(descriptor.bytes()))
                            .setParts(SecurityDescriptor.Part.bits(descriptor.parts())).build());
                }
                default -> throw new LocationException("PROTOCOL", "a " + first.type() + " frame cannot start a request");
            }
        } catch (Exception e) {
            if (!(e instanceof LocationException) && !(e instanceof IOException)) {
                LOG.warn("event=request_failed type={} key=\"{}\"", first.type(), key, e);
            }
            try {
                stream.sendLast(WireErrors.toWire(e));
            } catch (IOException unreachable) {
                // The connection is gone; the requesting side sees that itself.
            }
        }
    }

    private void list(FrameStream stream, dev.ferry.protocol.data.ListRequest request) throws IOException {
        dev.ferry.engine.transfer.FilterRules rules = dev.ferry.engine.transfer.FilterRules.parse(request.getIncludes(),
                request.getExcludes());
        try (Stream<Entry> entries = location.list(rules).filter(e -> rules.includes(e.key()))) {
            Iterator<Entry> it = entries.iterator();
            ListPage.Builder page = ListPage.newBuilder();
            int bytes = 0;
            while (it.hasNext()) {
                dev.ferry.protocol.data.Entry entry = WireConverters.toWire(it.next());
                int size = entry.getSerializedSize() + ENTRY_OVERHEAD;
                // Full by count, or this entry would push the page past what one header may hold.
                if (page.getEntriesCount() >= PAGE_ENTRIES || bytes + size > PAGE_BYTES) {
                    stream.sendPage(page.build(), false);
                    page = ListPage.newBuilder();
                    bytes = 0;
                    // A listing of millions rarely blocks; virtual threads are not preempted, so it
                    // lets other requests on its carrier go between pages.
                    Thread.yield();
                }
                page.addEntries(entry);
                bytes += size;
            }
            stream.sendPage(page.build(), true);
        }
    }

    /**
     * Answers a READ: FILE_OPEN with the file's size, then its bytes. The reader has the file's
     * metadata from the listing, so a file opened as a channel is sized by the open file itself:
     * no second resolution of its path and no attributes read, which on small files was the
     * largest share of the agent's work per file. Other locations are stat'ed as before.
     */
    private void read(FrameStream stream, ReadRequest read) throws IOException {
        String key = read.getKey();
        long offset = read.getOffset();
        try (InputStream in = location.openRead(key, offset)) {
            OptionalLong left = in instanceof ChannelInputStream file ? file.remaining() : OptionalLong.empty();
            FileOpen.Builder open = FileOpen.newBuilder().setKey(key);
            long sizeHint;
            if (left.isPresent()) {
                open.setSize(offset + left.getAsLong());
                sizeHint = left.getAsLong();
            } else {
                Entry entry = location.stat(key).orElseThrow(() -> new NotFoundException(key));
                open.setSize(entry.size()).setMetadata(WireConverters.toWire(entry.metadata()));
                sizeHint = entry.size() - offset;
            }
            stream.send(open.build());
            ChunkSender.send(stream, in, key, offset, -1, sizeHint, WireConverters.fromWire(read.getChecksumAlgorithm()));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        location.close();
    }
}
