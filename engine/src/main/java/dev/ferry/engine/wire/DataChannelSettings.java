package dev.ferry.engine.wire;

/**
 * Tunables of the data channel.
 *
 * @param chunkSize raw bytes per chunk
 * @param streamWindow payload bytes a sender may have unconsumed on one stream
 * @param compressionLevel zstd level for chunks; 0 sends raw
 */
public record DataChannelSettings(int chunkSize, long streamWindow, int compressionLevel) {
    public static final DataChannelSettings DEFAULTS = new DataChannelSettings(1 << 20, 8L << 20, 1);
    public static final int PROTOCOL_VERSION = 1;

    public DataChannelSettings {
        if (chunkSize < 4096 || chunkSize > dev.ferry.protocol.frame.DataChannelPipeline.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize out of range: " + chunkSize);
        }
        if (streamWindow < chunkSize) {
            throw new IllegalArgumentException("streamWindow must hold at least one chunk");
        }
    }
}
