package dev.ferry.locations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A file's bytes as a stream that can also read straight into a {@link ByteBuffer}. Reading a
 * file into an array goes through a native buffer of the JDK's and is copied from there; a reader
 * with native memory of its own (the data channel's sender, whose buffers go to TLS as they are)
 * reads into it with {@link #read(ByteBuffer)} and skips that copy: on large files it was a fifth
 * of the agent's CPU.
 *
 * <p>Not thread-safe, as any stream.
 */
public final class ChannelInputStream extends InputStream {
    private final ReadableByteChannel channel;

    public ChannelInputStream(ReadableByteChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst}.
     *
     * @return bytes read, or -1 at the end of the file
     */
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /**
     * Bytes from the channel's position to the end of the file as it is now (one {@code fstat}),
     * or empty when the channel is no file. A reader that only needs the size to size its buffers
     * takes it here rather than resolving the file's path a second time.
     */
    public OptionalLong remaining() throws IOException {
        if (channel instanceof SeekableByteChannel file) {
            return OptionalLong.of(Math.max(0, file.size() - file.position()));
        }
        return OptionalLong.empty();
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
