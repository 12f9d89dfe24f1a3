package dev.ferry.protocol.frame;

import com.github.luben.zstd.Zstd;
import dev.ferry.protocol.data.Chunk;
import dev.ferry.protocol.data.Error;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns CHUNK frames into {@link ChunkData}: decompresses and checks the CRC32C of the raw bytes.
 * A chunk that fails either check becomes an ERROR frame with code {@value #CORRUPT} on its
 * stream, so only that file fails and the connection's other streams go on. Other frames pass.
 */
public final class ChunkDecoder extends MessageToMessageDecoder<Frame> {
    public static final String CORRUPT = "CHUNK_CORRUPT";
    private final int maxChunkSize;

    public ChunkDecoder(int maxChunkSize) {
        super(Frame.class);
        this.maxChunkSize = maxChunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        if (frame.type() != FrameType.CHUNK) {
            out.add(frame);
            return;
        }
        out.add(decode(frame, maxChunkSize));
    }

    static Object decode(Frame frame, int maxChunkSize) {
        Chunk header = frame.header(Chunk.class);
        int rawLength = header.getRawLength();
        if (rawLength < 0 || rawLength > maxChunkSize) {
            return corrupt(frame, "raw length " + Integer.toUnsignedString(rawLength) + " exceeds " + maxChunkSize);
        }
        byte[] data;
        switch (header.getCodec()) {
            case CODEC_NONE -> {
                if (frame.payload().length != rawLength) {
                    return corrupt(frame, "payload of " + frame.payload().length + " bytes, header says " + rawLength);
                }
                data = frame.payload();
            }
            case CODEC_ZSTD -> {
                data = new byte[rawLength];
                long size;
                try {
                    size = Zstd.decompressByteArray(data, 0, rawLength, frame.payload(), 0, frame.payload().length);
                } catch (RuntimeException e) {
                    size = -1;
                }
                if (size < 0 || Zstd.isError(size) || size != rawLength) {
                    return corrupt(frame, "zstd payload does not decompress to " + rawLength + " bytes");
                }
            }
            default -> {
                return corrupt(frame, "unknown codec " + header.getCodecValue());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length);
        if ((int) crc.getValue() != header.getCrc32C()) {
            return corrupt(frame, "CRC32C mismatch at offset " + header.getOffset());
        }
        return new ChunkData(frame.streamId(), header.getOffset(), data, frame.payload().length);
    }

    private static Frame corrupt(Frame frame, String detail) {
        return Frame.last(frame.streamId(), Error.newBuilder().setCode(CORRUPT).setMessage("chunk rejected: " + detail).build());
    }
}
