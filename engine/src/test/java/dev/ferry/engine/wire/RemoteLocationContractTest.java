package dev.ferry.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.KeyPairs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole location contract, held by a POSIX location served over the data channel. */
class RemoteLocationContractTest extends LocationContractTest {
    @TempDir
    Path temp;
    private LoopbackDataChannel channel;
    private Path root;

    @Override
    protected Location newEmptyLocation() throws Exception {
        root = Files.createDirectory(temp.resolve("served"));
        channel = new LoopbackDataChannel(new PosixLocation(root), 2);
        return channel.remote;
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    @Test
    void requestsSpreadOverEveryConnection() {
        assertThat(channel.remote.connectionCount()).isEqualTo(2);
    }

    @Test
    void checksumsAreComputedWhereTheFileIs() throws Exception {
        byte[] data = bytes(3_000_000, 11);
        put("sum", data);
        assertThat(channel.remote.checksum("sum", dev.ferry.locations.ChecksumAlgorithm.SHA256)).isEqualTo(
                dev.ferry.locations.ContentChecksum.of(dev.ferry.locations.ChecksumAlgorithm.SHA256,
                        MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(channel.remote.checksum("sum", dev.ferry.locations.ChecksumAlgorithm.md5OfParts(1 << 20))).isEqualTo(
                dev.ferry.locations.ContentDigest.of(dev.ferry.locations.ChecksumAlgorithm.md5OfParts(1 << 20),
                        new java.io.ByteArrayInputStream(data)));
    }

    @Test
    void compressibleDataCrossesTheWireCompressed() throws IOException {
        byte[] text = "row,of,a,csv,file\n".repeat(200_000).getBytes();
        Files.write(root.resolve("big.csv"), text);
        try (InputStream in = location.openRead("big.csv", 0)) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
        assertThat(channel.remote.wireBytesReceived()).isPositive().isLessThan(text.length / 10);
    }

    @Test
    void aReaderThatStopsEarlyLeavesTheConnectionUsable() throws IOException {
        byte[] data = bytes(20_000_000, 12);
        put("large", data);
        try (InputStream in = location.openRead("large", 0)) {
            assertThat(in.readNBytes(10)).hasSize(10);
        }
        assertThat(read("large")).isEqualTo(data);
    }

    @Test
    void anAgentSideFailureArrivesWithItsCode() throws IOException {
        Files.writeString(root.resolve("file-not-dir"), "x");
        assertThatThrownBy(() -> location.put("file-not-dir/child", 3, FileMetadata.NONE, new ByteArrayInputStream(new byte[3])))
                .isInstanceOf(LocationException.class)
                .satisfies(e -> assertThat(((LocationException) e).code()).isEqualTo("NOT_A_DIRECTORY"));
        // A large write refused mid-way must not leave the sender waiting for credit forever.
        byte[] big = bytes(30_000_000, 13);
        assertThatThrownBy(() -> location.put("file-not-dir/big", big.length, FileMetadata.NONE, new ByteArrayInputStream(big)))
                .isInstanceOf(LocationException.class);
    }

    @Test
    void aLostAgentFailsReadsInFlightInsteadOfLeavingThemWaiting() throws IOException {
        put("big", bytes(40_000_000, 14));
        InputStream in = location.openRead("big", 0);
        assertThat(in.readNBytes(1000)).hasSize(1000);
        channel.remote.lost("agent went silent");
        assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> location.stat("big")).isInstanceOf(LocationException.class).hasMessageContaining("went silent");
        in.close();
    }

    @Test
    void aHelloWithAWrongTokenIsRefusedWithItsReason() {
        assertThatThrownBy(() -> channel.connect("wrong-token")).isInstanceOf(IOException.class)
                .hasMessageContaining("UNKNOWN_SESSION");
    }

    @Test
    void connectionsOpenedTogetherAllServe() throws IOException {
        assertThat(channel.connectAll(3, LoopbackDataChannel.TOKEN)).hasSize(3).allMatch(DataConnection::isOpen);
        assertThat(channel.remote.connectionCount()).isEqualTo(5);
        put("after", bytes(5_000_000, 15));
        assertThat(read("after")).isEqualTo(bytes(5_000_000, 15));
    }

    @Test
    void aRefusedSetOfConnectionsFailsWholeAndLeavesNoneOpen() {
        assertThatThrownBy(() -> channel.connectAll(3, "wrong-token")).isInstanceOf(IOException.class)
                .hasMessageContaining("UNKNOWN_SESSION");
        assertThat(channel.remote.connectionCount()).isEqualTo(2);
    }

    @Test
    void aCertificateFromAnotherAuthorityNeverGetsToHello() {
        CertificateAuthority other = CertificateAuthority.create("other");
        KeyPair key = KeyPairs.generate();
        assertThatThrownBy(() -> channel.connect(LoopbackDataChannel.TOKEN, key,
                other.signClient(KeyPairs.csr(key, "x"), LoopbackDataChannel.AGENT_ID, Duration.ofDays(1))))
                .isInstanceOf(IOException.class);
        assertThat(channel.remote.connectionCount()).isEqualTo(2);
    }
}
