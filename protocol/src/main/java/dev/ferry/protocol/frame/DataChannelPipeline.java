package dev.ferry.protocol.frame;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/** Installs the data channel's codec handlers, in order, on a pipeline (after TLS). */
public final class DataChannelPipeline {
    /** Largest raw chunk either side sends or accepts. */
    public static final int MAX_CHUNK_SIZE = 16 << 20;
    private static final FrameEncoder FRAME_ENCODER = new FrameEncoder();
    /**
     * Flushes that one pass of the event loop may merge. Every frame is written with a flush, from
     * whichever thread serves its stream; each flush on its own would be a TLS record and a write
     * call, which for small files (a request, a header, a chunk and an end per file, each way)
     * cost both sides more than the bytes did.
     */
    private static final int FLUSHES_MERGED = 256;

    private DataChannelPipeline() {
    }

    /** Chunks are compressed where it pays (see {@link ChunkEncoder}). */
    public static void install(ChannelPipeline pipeline, int compressionLevel) {
        install(pipeline, compressionLevel, Compression.ADAPTIVE);
    }

    public static void install(ChannelPipeline pipeline, int compressionLevel, Compression compression) {
        pipeline.addLast("frame-decoder", new FrameDecoder());
        pipeline.addLast("frame-encoder", FRAME_ENCODER);
        pipeline.addLast("chunk-decoder", new ChunkDecoder(MAX_CHUNK_SIZE));
        pipeline.addLast("chunk-encoder", new ChunkEncoder(compressionLevel, compression));
        // Nearest the writers, so that TLS below sees one flush for all the frames that arrived
        // together. A flush outside a read is put off to the end of the event loop's current
        // tasks, so it never waits for anything but frames already queued.
        pipeline.addLast("flush-merger", new FlushConsolidationHandler(FLUSHES_MERGED, true));
    }
}
