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
        int dataOffset;
        switch (header.getCodec()) {
            case CODEC_NONE -> {
                if (frame.payloadLength() != rawLength) {
                    return corrupt(frame, "payload of " + frame.payloadLength() + " bytes, header says " + rawLength);
                }
                data = frame.payload();
                dataOffset = frame.payloadOffset();
            }
            case CODEC_ZSTD -> {
                // With room before the bytes, as the frame decoder leaves before a raw chunk's.
                data = new byte[ChunkData.ROOM + rawLength];
                dataOffset = ChunkData.ROOM;
                long size;
                try {
                    size = Zstd.decompressByteArray(data, dataOffset, rawLength, frame.payload(), frame.payloadOffset(),
                            frame.payloadLength());
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
        crc.update(data, dataOffset, rawLength);
        if ((int) crc.getValue() != header.getCrc32C()) {
            return corrupt(frame, "CRC32C mismatch at offset " + header.getOffset());
        }
        return new ChunkData(frame.streamId(), header.getOffset(), data, dataOffset, rawLength, frame.payloadLength(),
                header.getCrc32C());
    }

    private static Frame corrupt(Frame frame, String detail) {
        return Frame.last(frame.streamId(), Error.newBuilder().setCode(CORRUPT).setMessage("chunk rejected: " + detail).build());
    }
}
