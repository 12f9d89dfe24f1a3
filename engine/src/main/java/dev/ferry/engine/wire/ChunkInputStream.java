package dev.ferry.engine.wire;

import dev.ferry.locations.ArrayContent;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.ContentDigest;
import dev.ferry.locations.InputStreams;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.WholeContent;
import dev.ferry.protocol.data.Error;
import dev.ferry.protocol.data.FileClose;
import dev.ferry.protocol.frame.ChunkData;
import dev.ferry.protocol.frame.Frame;
import dev.ferry.protocol.frame.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A file's bytes as they arrive on a stream: CHUNK frames in order, then FILE_CLOSE. Each chunk
 * was already checked against its CRC32C; this checks that chunks are contiguous and, before it
 * reports the end of the file, that the whole-file size and checksum match what the sender read.
 * So a reader that sees end-of-stream has every byte, verified. Credit is returned as bytes are
 * consumed. A file that arrives as one chunk can be taken whole ({@link #readWhole}), in the array
 * it arrived in, after the same checks.
 */
public class ChunkInputStream extends InputStream implements WholeContent {
    private final FrameStream stream;
    private final String key;
    private final ChecksumAlgorithm algorithm;
    private final ContentDigest digest;
    private ContentChecksum senderChecksum;
    private final Runnable onAbandon;
    private final long startOffset;
    private long position;
    private byte[] current = new byte[0];
    private int index;
    /** Where the current chunk's bytes end in {@link #current}. */
    private int end;
    /** The chunk being read, whose length is returned as credit once read. */
    private ChunkData lastChunk;
    /** What a look past the first chunk took from the stream and {@link #next()} has not handled yet. */
    private Object lookedAhead;
    private boolean finished;
    private IOException failure;

    /**
     * @param startOffset where the first chunk must start
     * @param algorithm the sender's whole-file checksum, checked here against the bytes received;
     *     empty to leave that to the caller, who compares {@link #senderChecksum()} with what it
     *     wrote (and from an offset other than zero, where the sender's covers more than arrives)
     * @param onAbandon run when the stream is closed before the end of the file
     */
    public ChunkInputStream(FrameStream stream, String key, long startOffset, java.util.Optional<ChecksumAlgorithm> algorithm,
            Runnable onAbandon) {
        this.stream = stream;
        this.onAbandon = onAbandon;
        this.key = key;
        this.startOffset = startOffset;
        this.position = startOffset;
        this.algorithm = algorithm.orElse(null);
        this.digest = algorithm.map(ContentDigest::new).orElse(null);
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (failure != null) {
            throw failure;
        }
        while (index == end) {
            if (finished) {
                return -1;
            }
            next();
        }
        int n = Math.min(len, end - index);
        System.arraycopy(current, index, b, off, n);
        index += n;
        if (index == end) {
            stream.consumed(lastChunk.length());
        }
        return n;
    }

    /**
     * The file whole when it arrives as one chunk: that chunk, once FILE_CLOSE has followed it and
     * checked out. Otherwise what was taken to look is kept for {@link #read}.
     */
    @Override
    public Optional<ArrayContent> readWhole() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished || position != startOffset || lookedAhead != null) {
            return Optional.empty();
        }
        next();
        if (finished) {
            return Optional.empty(); // An empty file: nothing to hand over.
        }
        Object following = take();
        if (!(following instanceof Frame frame) || frame.type() != FrameType.FILE_CLOSE) {
            lookedAhead = following; // More than one chunk: read on through the stream.
            return Optional.empty();
        }
        handle(following); // The whole-file size and checksum, as a read to the end checks them.
        ChunkData chunk = lastChunk;
        index = end; // Handed over: nothing of it is read through this stream.
        stream.consumed(chunk.length());
        return Optional.of(new ArrayContent(chunk.array(), chunk.arrayOffset(), chunk.length(), OptionalInt.of(chunk.crc32c())));
    }

    private Object take() throws IOException {
        if (lookedAhead != null) {
            Object item = lookedAhead;
            lookedAhead = null;
            return item;
        }
        try {
            return stream.take();
        } catch (IOException e) {
            throw fail(new IOException("transfer of " + key + " was cut off: " + e.getMessage(), e));
        }
    }

    private void next() throws IOException {
        handle(take());
    }

    private void handle(Object item) throws IOException {
        if (item instanceof ChunkData chunk) {
            if (chunk.offset() != position) {
                throw fail(new IOException("chunk for " + key + " at offset " + chunk.offset() + ", expected " + position));
            }
            if (digest != null) {
                digest.update(chunk.array(), chunk.arrayOffset(), chunk.length());
            }
            position += chunk.length();
            current = chunk.array();
            index = chunk.arrayOffset();
            end = index + chunk.length();
            lastChunk = chunk;
            return;
        }
        Frame frame = (Frame) item;
        if (frame.type() == FrameType.FILE_CLOSE) {
            FileClose close = frame.header(FileClose.class);
            if (close.getSize() != position) {
                throw fail(new IOException(key + ": sender closed at " + close.getSize() + " bytes, received " + position));
            }
            try {
                senderChecksum = WireConverters.fromWire(close.getChecksum());
            } catch (LocationException e) {
                throw fail(new IOException(key + ": " + e.getMessage(), e));
            }
            if (digest != null && !digest.finish().equals(senderChecksum)) {
                throw fail(new IOException(key + ": whole-file " + algorithm.label()
                        + " of the received bytes does not match the sender's"));
            }
            finished = true;
            return;
        }
        if (frame.type() == FrameType.ERROR) {
            Error error = frame.header(Error.class);
            LocationException cause = WireErrors.fromWire(error, key);
            throw fail(new IOException(error.getCode() + ": " + error.getMessage(), cause));
        }
        throw fail(new IOException("unexpected " + frame.type() + " while receiving " + key));
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }

    /** Bytes received so far. */
    public long position() {
        return position;
    }

    public boolean finished() {
        return finished;
    }

    /** The whole-file checksum the sender computed as it read; once the stream has ended. */
    public ContentChecksum senderChecksum() {
        if (!finished) {
            throw new IllegalStateException("the file has not been received to its end");
        }
        return senderChecksum;
    }

    @Override
    public void close() {
        if (!finished) {
            onAbandon.run();
        }
    }
}
