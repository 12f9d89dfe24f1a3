package dev.ferry.protocol.frame;

import io.netty.channel.ChannelPipeline;

/** Installs the data channel's codec handlers, in order, on a pipeline (after TLS). */
public final class DataChannelPipeline {
    /** Largest raw chunk either side sends or accepts. */
    public static final int MAX_CHUNK_SIZE = 16 << 20;
    private static final FrameEncoder FRAME_ENCODER = new FrameEncoder();

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
    }
}
