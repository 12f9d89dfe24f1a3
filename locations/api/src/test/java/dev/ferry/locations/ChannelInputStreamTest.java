package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelInputStreamTest {
    @TempDir
    Path dir;

    /** A stream of a new file of {@code size} bytes, its channel at {@code position}. */
    private ChannelInputStream openAt(Path file, int size, long position) throws Exception {
        Files.write(file, new byte[size]);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(position);
        return new ChannelInputStream(channel);
    }

    @Test
    void aFileKnowsWhatIsLeftFromItsPositionAsTheFileIsNow() throws Exception {
        Path file = dir.resolve("f");
        try (ChannelInputStream in = openAt(file, 1000, 300)) {
            assertThat(in.remaining()).hasValue(700);
            assertThat(in.read(ByteBuffer.allocate(200))).isEqualTo(200);
            assertThat(in.remaining()).hasValue(500);
            // Grown since it was opened: the answer is the file as it is, not as it was.
            Files.write(file, new byte[100], StandardOpenOption.APPEND);
            assertThat(in.remaining()).hasValue(600);
        }
    }

    @Test
    void aPositionPastTheEndLeavesNothingRatherThanANegativeCount() throws Exception {
        try (ChannelInputStream in = openAt(dir.resolve("f"), 10, 50)) {
            assertThat(in.remaining()).hasValue(0);
        }
    }

    @Test
    void aChannelThatIsNoFileHasNoSizeToGive() throws Exception {
        try (ChannelInputStream in = new ChannelInputStream(Channels.newChannel(new ByteArrayInputStream(new byte[5])))) {
            assertThat(in.remaining()).isEmpty();
            assertThat(in.readAllBytes()).hasSize(5);
        }
    }
}
