package dev.ferry.locations.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryHandlesTest {
    @TempDir
    Path temp;
    Path root;
    Path outside;
    DirectoryHandles handles;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(temp.resolve("root"));
        outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside");
        handles = new DirectoryHandles(root, TimeUnit.MINUTES.toNanos(1)); // Nothing ages within a test but where it says.
    }

    @AfterEach
    void tearDown() {
        handles.close();
    }

    @Test
    void readsFilesAtEveryDepthAndKeepsTheirDirectoriesOpen() throws IOException {
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("top"), "top");
        Files.writeString(root.resolve("a/b/c/deep"), "deep");
        Files.writeString(root.resolve("a/b/c/next"), "next");

        assertThat(read("top")).isEqualTo("top");
        assertThat(read("a/b/c/deep")).isEqualTo("deep");
        assertThat(read("a/b/c/next")).isEqualTo("next");
        assertThat(handles.openCount()).isEqualTo(4); // the root, a, a/b, a/b/c
    }

    @Test
    void noLinkIsFollowedOnTheWayOrAtTheEnd() throws IOException {
        Files.createDirectory(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/link"), outside);
        Files.createSymbolicLink(root.resolve("a/file-link"), outside.resolve("secret"));

        assertThatThrownBy(() -> read("a/link/secret")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("a/file-link")).isInstanceOf(IOException.class);
    }

    @Test
    void aDirectorySwappedForALinkAfterItsHandleWasKeptStillLeadsNowhereOutside() throws IOException {
        Files.createDirectory(root.resolve("a"));
        Files.writeString(root.resolve("a/secret"), "inside");
        assertThat(read("a/secret")).isEqualTo("inside");

        Files.move(root.resolve("a"), root.resolve("moved"));
        Files.createSymbolicLink(root.resolve("a"), outside);

        // The kept handle is the directory itself, wherever it went: never what the link points to.
        assertThat(read("a/secret")).isEqualTo("inside");
    }

    @Test
    void aHandleIsReopenedOnceOldAndClosedWhenUnused() throws IOException {
        handles.close();
        handles = new DirectoryHandles(root, TimeUnit.MILLISECONDS.toNanos(100));
        Files.createDirectory(root.resolve("a"));
        Files.writeString(root.resolve("a/f"), "first");
        assertThat(read("a/f")).isEqualTo("first");
        Files.move(root.resolve("a"), root.resolve("old"));
        Files.createDirectory(root.resolve("a"));
        Files.writeString(root.resolve("a/f"), "second");

        await().atMost(Duration.ofSeconds(10)).until(() -> handles.openCount() == 0);
        assertThat(read("a/f")).isEqualTo("second");
    }

    @Test
    void keepsNoMoreThanItsBound() throws IOException {
        for (int i = 0; i < DirectoryHandles.MAX_OPEN + 10; i++) {
            Path dir = Files.createDirectory(root.resolve("d" + i));
            Files.writeString(dir.resolve("f"), "f" + i);
        }
        for (int i = 0; i < DirectoryHandles.MAX_OPEN + 10; i++) {
            assertThat(read("d" + i + "/f")).isEqualTo("f" + i);
            assertThat(handles.openCount()).isLessThanOrEqualTo(DirectoryHandles.MAX_OPEN);
        }
    }

    @Test
    void aClosedInstanceOpensNothing() throws IOException {
        Files.writeString(root.resolve("f"), "f");
        handles.close();
        assertThatThrownBy(() -> read("f")).isInstanceOf(IOException.class);
        assertThat(handles.openCount()).isZero();
    }

    private String read(String relative) throws IOException {
        try (SeekableByteChannel channel = handles.openRead(relative).orElseThrow()) {
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Until full.
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }
}
