package dev.ferry.protocol.frame;

import com.github.luben.zstd.Zstd;
import dev.ferry.protocol.data.Chunk;
import dev.ferry.protocol.data.Codec;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns {@link RawChunk}s into CHUNK frames: CRC32C over the raw bytes, then zstd, keeping the raw
 * bytes instead whenever compression does not make them smaller (already compressed data costs
 * one attempt, never extra bytes on the wire).
 */
@ChannelHandler.Sharable
public final class ChunkEncoder extends MessageToMessageEncoder<RawChunk> {
    private final int level;

    /** @param level zstd level; 0 sends every chunk raw */
    public ChunkEncoder(int level) {
        super(RawChunk.class);
        this.level = level;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RawChunk chunk, List<Object> out) {
        out.add(encode(chunk, level));
    }

    static Frame encode(RawChunk chunk, int level) {
        CRC32C crc = new CRC32C();
        crc.update(chunk.data(), 0, chunk.length());
        Chunk.Builder header = Chunk.newBuilder()
                .setOffset(chunk.offset())
                .setRawLength(chunk.length())
                .setCrc32C((int) crc.getValue());
        byte[] payload = null;
        if (level > 0 && chunk.length() > 0) {
            byte[] compressed = new byte[(int) Zstd.compressBound(chunk.length())];
            long size = Zstd.compressByteArray(compressed, 0, compressed.length, chunk.data(), 0, chunk.length(), level);
            if (!Zstd.isError(size) && size < chunk.length()) {
                payload = Arrays.copyOf(compressed, (int) size);
                header.setCodec(Codec.CODEC_ZSTD);
            }
        }
        if (payload == null) {
            payload = chunk.length() == chunk.data().length ? chunk.data() : Arrays.copyOf(chunk.data(), chunk.length());
            header.setCodec(Codec.CODEC_NONE);
        }
        return new Frame(FrameType.CHUNK, 0, chunk.streamId(), header.build(), payload);
    }
}
