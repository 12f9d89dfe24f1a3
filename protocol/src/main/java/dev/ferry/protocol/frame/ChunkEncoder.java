package dev.ferry.protocol.frame;

import com.github.luben.zstd.Zstd;
import dev.ferry.protocol.data.Chunk;
import dev.ferry.protocol.data.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns {@link RawChunk}s into CHUNK frames: CRC32C over the raw bytes (the sender's, when it
 * computed one as it read them), then zstd where it pays,
 * keeping the raw bytes whenever compression does not make them smaller (already compressed data
 * never costs extra bytes on the wire).
 *
 * <p>Compressing costs CPU on both sides (zstd's fast level takes about 85 µs per 32 KiB of text
 * here, 40 µs more to undo: see bench/jmh.sh), which pays only when the network is what the data
 * waits for. So, with {@link Compression#ADAPTIVE}, a chunk is compressed only while the network
 * limits the connection, or did within the last {@link #MEMORY_NANOS}: TCP's congestion window is
 * full (read from TCP_INFO on epoll sockets), or more than {@link #BACKLOG} bytes wait for the
 * socket. Loopback, a fast link, or a receiver that is slow to read (which limits the connection
 * through its receive window, not the congestion window), leaves chunks raw: they go sooner than
 * compressed ones would, and cost the receiver less. And a sample from
 * the chunk's middle is compressed first: one that shrinks by less than a tenth (random or
 * already compressed bytes) sends the chunk raw at the cost of the sample alone.
 *
 * <p>Threading: one instance per channel, called on its event loop.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RawChunk> {
    /** Bytes waiting for the socket beyond which the network is the bottleneck. */
    static final long BACKLOG = 1 << 20;
    /** How long a sign of the network limiting the connection keeps compression on. */
    static final long MEMORY_NANOS = 500_000_000L;
    private static final int SAMPLE = 4096;

    private final int level;
    private final Compression compression;
    private final EpollTcpInfo tcpInfo = new EpollTcpInfo();
    /** When the network was last seen limiting the connection; 0 for never. */
    private long networkBoundAt;

    /** @param level zstd level; 0 sends every chunk raw. Compresses only where it pays. */
    public ChunkEncoder(int level) {
        this(level, Compression.ADAPTIVE);
    }

    public ChunkEncoder(int level, Compression compression) {
        super(RawChunk.class);
        this.level = level;
        this.compression = compression;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RawChunk chunk, List<Object> out) {
        boolean worthIt = switch (compression) {
            case OFF -> false;
            case ALWAYS -> true;
            case ADAPTIVE -> networkBound(ctx);
        };
        boolean compress = level > 0 && worthIt && sampleShrinks(chunk, level);
        if (!compress && !chunk.data().hasArray()) {
            // Native memory goes on as it is, behind the frame's prefix.
            ByteBuf data = chunk.data();
            Chunk header = header(chunk, crc32c(chunk)).setCodec(Codec.CODEC_NONE).build();
            out.add(new BufferFrame(chunk.streamId(), header, data.retain()));
            return;
        }
        out.add(encode(chunk, compress ? level : 0));
    }

    /**
     * Whether the network limits the connection now or did a moment ago; never over loopback,
     * where there is no link to spare, only CPU to spend. Called on the event loop only.
     */
    private boolean networkBound(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer && peer.getAddress() != null
                && peer.getAddress().isLoopbackAddress()) {
            return false;
        }
        long now = System.nanoTime();
        if (backlog(ctx) > BACKLOG || congestionWindowFull(ctx)) {
            networkBoundAt = now;
            return true;
        }
        return networkBoundAt != 0 && now - networkBoundAt < MEMORY_NANOS;
    }

    /** TCP has as many segments in flight as its congestion window allows: the path is what limits. */
    private boolean congestionWindowFull(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof EpollSocketChannel epoll) || !epoll.isActive()) {
            return false;
        }
        try {
            epoll.tcpInfo(tcpInfo);
        } catch (ChannelException e) {
            return false;
        }
        return tcpInfo.sndCwnd() > 0 && tcpInfo.unacked() >= tcpInfo.sndCwnd();
    }

    /** Bytes written to the channel that the socket has not taken yet. */
    private static long backlog(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
    }

    /** Whether a sample from the middle of the chunk compresses by a tenth at least. */
    static boolean sampleShrinks(RawChunk chunk, int level) {
        if (chunk.length() <= SAMPLE * 2) {
            return true; // Small enough to try whole.
        }
        int from = chunk.length() / 2 - SAMPLE / 2;
        byte[] sample = new byte[(int) Zstd.compressBound(SAMPLE)];
        ByteBuf data = chunk.data();
        long size;
        if (data.hasArray()) {
            size = Zstd.compressByteArray(sample, 0, sample.length, data.array(), data.arrayOffset() + data.readerIndex() + from, SAMPLE, level);
        } else {
            byte[] bytes = ByteBufUtil.getBytes(data, data.readerIndex() + from, SAMPLE);
            size = Zstd.compressByteArray(sample, 0, sample.length, bytes, 0, SAMPLE, level);
        }
        return !Zstd.isError(size) && size < SAMPLE * 9L / 10;
    }

    /** The chunk's CRC32C: the sender's when it gave one, else computed here. */
    private static int crc32c(RawChunk chunk) {
        if (chunk.crc32c().isPresent()) {
            return chunk.crc32c().getAsInt();
        }
        CRC32C crc = new CRC32C();
        crc.update(chunk.data().nioBuffer());
        return (int) crc.getValue();
    }

    private static Chunk.Builder header(RawChunk chunk, int crc32c) {
        return Chunk.newBuilder().setOffset(chunk.offset()).setRawLength(chunk.length()).setCrc32C(crc32c);
    }

    /** A frame of the chunk's bytes, compressed at {@code level} if that makes them smaller; 0 leaves them raw. */
    static Frame encode(RawChunk chunk, int level) {
        ByteBuf data = chunk.data();
        Chunk.Builder header = header(chunk, crc32c(chunk));
        // The bytes as one array: the chunk's own when it is exactly one, a copy otherwise.
        byte[] raw = data.hasArray() && data.arrayOffset() + data.readerIndex() == 0 && data.readableBytes() == data.array().length
                ? data.array() : ByteBufUtil.getBytes(data);
        byte[] payload = null;
        if (level > 0 && chunk.length() > 0) {
            byte[] compressed = new byte[(int) Zstd.compressBound(chunk.length())];
            long size = Zstd.compressByteArray(compressed, 0, compressed.length, raw, 0, chunk.length(), level);
            if (!Zstd.isError(size) && size < chunk.length()) {
                payload = Arrays.copyOf(compressed, (int) size);
                header.setCodec(Codec.CODEC_ZSTD);
            }
        }
        if (payload == null) {
            payload = raw;
            header.setCodec(Codec.CODEC_NONE);
        }
        return new Frame(FrameType.CHUNK, 0, chunk.streamId(), header.build(), payload);
    }
}
