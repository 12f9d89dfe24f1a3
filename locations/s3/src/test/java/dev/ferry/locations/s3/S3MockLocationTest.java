package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.locations.Capability;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.s3.testing.S3MockServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/** The whole contract against a second S3 implementation, one that keeps object tags. */
@ExtendWith(S3ServersExtension.class)
class S3MockLocationTest extends LocationContractTest {
    private static S3MockServer server;
    private String bucket;

    @BeforeAll
    static void server(S3MockServer shared) {
        server = shared;
    }

    @Override
    protected Location newEmptyLocation() {
        bucket = server.createBucket();
        Map<String, Object> settings = new java.util.HashMap<>(server.locationSettings(bucket, "base/dir"));
        settings.put("partSize", 5L << 20);
        return new S3LocationDriver().open(settings);
    }

    @Test
    void newObjectsGetTheStorageClassTheLocationNames() {
        Map<String, Object> settings = new java.util.HashMap<>(server.locationSettings(bucket, "classed"));
        settings.put("storageClass", "STANDARD_IA");
        settings.put("partSize", 5L << 20);
        byte[] large = bytes(6 << 20, 3);
        try (Location classed = new S3LocationDriver().open(settings); S3Client client = server.client()) {
            classed.put("small", 1, dev.ferry.locations.FileMetadata.NONE, new java.io.ByteArrayInputStream(new byte[1]));
            classed.put("large", large.length, dev.ferry.locations.FileMetadata.NONE, new java.io.ByteArrayInputStream(large));
            for (String key : java.util.List.of("classed/small", "classed/large")) {
                assertThat(client.headObject(b -> b.bucket(bucket).key(key)).storageClassAsString()).as(key).isEqualTo("STANDARD_IA");
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new S3LocationDriver().parse(Map.of("bucket", "b-1", "storageClass", "COLD")))
                .hasMessageContaining("settings.storageClass");
    }

    /** S3Mock checks and keeps CRC32Cs too, whole and of parts: the writes keep carrying them. */
    @Test
    void writesCarryTheirCrc32c() throws java.io.IOException {
        byte[] large = bytes((5 << 20) + 1000, 4);
        for (byte[] data : new byte[][] {bytes(70_000, 5), large}) {
            dev.ferry.locations.ChecksumAlgorithm algorithm = location.storeChecksum(data.length).orElseThrow();
            assertThat(algorithm.kind()).isIn(dev.ferry.locations.ChecksumAlgorithm.Kind.CRC32C, dev.ferry.locations.ChecksumAlgorithm.Kind.CRC32C_OF_PARTS);
            assertThat(location.put("crc-" + data.length, data.length, dev.ferry.locations.FileMetadata.NONE, new java.io.ByteArrayInputStream(data)).checksum())
                    .contains(dev.ferry.locations.ContentDigest.of(algorithm, new java.io.ByteArrayInputStream(data)));
        }
        assertThat(location.storeChecksum(1).orElseThrow()).isEqualTo(dev.ferry.locations.ChecksumAlgorithm.CRC32C);
    }

    @Test
    void tagsAreReadableByAnyS3Client() {
        assertThat(location.capabilities()).contains(Capability.OBJECT_TAGS);
        location.put("f", 1, dev.ferry.locations.FileMetadata.NONE.withObjectTags(java.util.Optional.of(Map.of("k", "v"))),
                new java.io.ByteArrayInputStream(new byte[1]));
        try (S3Client client = server.client()) {
            assertThat(client.getObjectTagging(b -> b.bucket(bucket).key("base/dir/f")).tagSet())
                    .containsExactly(Tag.builder().key("k").value("v").build());
        }
    }
}
