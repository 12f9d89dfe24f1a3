package dev.ferry.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.ArrayContent;
import dev.ferry.locations.ChecksumAlgorithm;
import dev.ferry.locations.ChecksummedInputStream;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.WholeContent;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.protocol.frame.ChunkData;
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
import java.util.Arrays;
import java.util.zip.CRC32C;
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

    /**
     * A file that arrives in one chunk is handed over in the array it arrived in, with room before
     * its bytes, once FILE_CLOSE has checked it; raw or compressed alike. A larger one is not, and
     * reads on whole through the stream; so does an empty one.
     */
    @Test
    void aFileInOneChunkIsHandedOverWholeAndALargerOneReadsOn() throws Exception {
        byte[] random = bytes(300_000, 21);
        byte[] text = "row,of,a,csv,file\n".repeat(20_000).getBytes();
        byte[] large = bytes(3_000_000, 22);
        Files.write(root.resolve("random"), random);
        Files.write(root.resolve("text"), text);
        Files.write(root.resolve("large"), large);
        Files.write(root.resolve("empty"), new byte[0]);
        for (String key : new String[] {"random", "text"}) {
            byte[] expected = key.equals("random") ? random : text;
            try (ChecksummedInputStream in = channel.remote.openChecksummed(key, ChecksumAlgorithm.SHA256)) {
                ArrayContent whole = ((WholeContent) in).readWhole().orElseThrow();
                assertThat(whole.offset()).as(key).isGreaterThanOrEqualTo(ChunkData.ROOM);
                assertThat(Arrays.copyOfRange(whole.array(), whole.offset(), whole.offset() + whole.length())).as(key)
                        .isEqualTo(expected);
                CRC32C crc = new CRC32C();
                crc.update(expected);
                assertThat(whole.crc32c()).as(key).hasValue((int) crc.getValue());
                assertThat(whole.readAllBytes()).as(key).isEqualTo(expected);
                assertThat(in.read()).as(key).isEqualTo(-1);
                assertThat(in.checksum()).as(key).isEqualTo(ContentChecksum.of(ChecksumAlgorithm.SHA256,
                        MessageDigest.getInstance("SHA-256").digest(expected)));
            }
        }
        for (String key : new String[] {"large", "empty"}) {
            byte[] expected = key.equals("large") ? large : new byte[0];
            try (ChecksummedInputStream in = channel.remote.openChecksummed(key, ChecksumAlgorithm.SHA256)) {
                assertThat(((WholeContent) in).readWhole()).as(key).isEmpty();
                assertThat(in.readAllBytes()).as(key).isEqualTo(expected);
                assertThat(in.checksum()).as(key).isEqualTo(ContentChecksum.of(ChecksumAlgorithm.SHA256,
                        MessageDigest.getInstance("SHA-256").digest(expected)));
            }
        }
    }

    /** Once anything was read, the rest is not handed over: it reads on from where it was. */
    @Test
    void aFilePartlyReadIsNotHandedOver() throws IOException {
        byte[] data = bytes(100_000, 23);
        Files.write(root.resolve("partly"), data);
        try (ChecksummedInputStream in = channel.remote.openChecksummed("partly", ChecksumAlgorithm.SHA256)) {
            byte[] first = in.readNBytes(10);
            assertThat(((WholeContent) in).readWhole()).isEmpty();
            assertThat(first).isEqualTo(Arrays.copyOf(data, 10));
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 10, data.length));
        }
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
