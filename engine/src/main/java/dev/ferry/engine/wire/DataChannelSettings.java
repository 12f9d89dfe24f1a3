package dev.ferry.engine.wire;

import dev.ferry.protocol.frame.Compression;

/**
 * Tunables of the data channel.
 *
 * @param chunkSize raw bytes per chunk
 * @param streamWindow payload bytes a sender may have unconsumed on one stream
 * @param compressionLevel zstd level for chunks; 0 sends raw
 * @param compression when chunks this side sends are compressed
 */
public record DataChannelSettings(int chunkSize, long streamWindow, int compressionLevel, Compression compression) {
    public static final DataChannelSettings DEFAULTS = new DataChannelSettings(1 << 20, 8L << 20, 1, Compression.ADAPTIVE);
    public static final int PROTOCOL_VERSION = 1;

    public DataChannelSettings withCompression(Compression mode) {
        return new DataChannelSettings(chunkSize, streamWindow, compressionLevel, mode);
    }

    public DataChannelSettings {
        java.util.Objects.requireNonNull(compression, "compression");
        if (chunkSize < 4096 || chunkSize > dev.ferry.protocol.frame.DataChannelPipeline.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize out of range: " + chunkSize);
        }
        if (streamWindow < chunkSize) {
            throw new IllegalArgumentException("streamWindow must hold at least one chunk");
        }
    }
}
