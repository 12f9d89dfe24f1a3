package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.InvalidSettingsException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.Reach;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import dev.ferry.locations.s3.testing.S3TestServer;
import dev.ferry.locations.s3.testing.TestCertificates;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The object-storage kind over HTTPS, trusting a CA made for the test and nothing else. */
class ObjectStorageLocationTest extends LocationContractTest {
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.startHttps();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Map<String, Object> settings(String bucket, String caPem) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("serverHostname", "127.0.0.1");
        raw.put("serverPort", server.endpoint().getPort());
        raw.put("serverProtocol", "HTTPS");
        raw.put("bucketName", bucket);
        raw.put("subdirectory", "/site/archive");
        raw.put("accessKey", S3TestServer.ACCESS_KEY);
        raw.put("secretKey", S3TestServer.SECRET_KEY);
        raw.put("serverCertificate", caPem);
        raw.put("partSize", 5L << 20);
        return raw;
    }

    @Override
    protected Location newEmptyLocation() {
        return new ObjectStorageLocationDriver().open(settings(server.createBucket(), server.caPem()));
    }

    @Test
    void objectsLandUnderTheSubdirectoryAndTheKindIsObjectStorage() {
        String bucket = server.createBucket();
        try (Location location = new ObjectStorageLocationDriver().open(settings(bucket, server.caPem()));
                var client = server.client()) {
            location.put("a/b.txt", 2, dev.ferry.locations.FileMetadata.NONE, new java.io.ByteArrayInputStream(new byte[2]));
            assertThat(client.headObject(b -> b.bucket(bucket).key("site/archive/a/b.txt")).contentLength()).isEqualTo(2);
            assertThat(location.kind()).isEqualTo("object-storage");
        }
    }

    @Test
    void aServerSignedByAnotherAuthorityIsRefusedWithAClearError() {
        try (Location untrusting = new ObjectStorageLocationDriver().open(settings(server.createBucket(),
                TestCertificates.unrelatedCaPem()))) {
            assertThatThrownBy(untrusting::list).isInstanceOfSatisfying(LocationException.class, e -> {
                assertThat(e.code()).isEqualTo("TLS_UNTRUSTED");
                assertThat(e.getMessage()).contains("serverCertificate");
            });
        }
    }

    @Test
    void settingsErrorsNameTheField() {
        ObjectStorageLocationDriver driver = new ObjectStorageLocationDriver();
        assertThat(driver.reach()).isEqualTo(Reach.EITHER);
        assertThatThrownBy(() -> driver.parse(Map.of("bucketName", "b1"))).hasMessageContaining("settings.serverHostname");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b1", "serverProtocol", "FTP")))
                .hasMessageContaining("settings.serverProtocol");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b1", "serverPort", 70000)))
                .hasMessageContaining("settings.serverPort");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h/x", "bucketName", "b1")))
                .hasMessageContaining("settings.serverHostname");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b/1")))
                .hasMessageContaining("settings.bucketName");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b1", "serverCertificate", "not pem")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("settings.serverCertificate");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b1", "serverProtocol", "HTTP",
                "serverCertificate", server.caPem()))).hasMessageContaining("settings.serverCertificate");
        assertThatThrownBy(() -> driver.parse(Map.of("serverHostname", "h", "bucketName", "b1", "subdirectory", "a/../b")))
                .hasMessageContaining("settings.subdirectory");
        S3Settings parsed = driver.parse(Map.of("serverHostname", "store.example", "bucketName", "Data_1", "serverProtocol", "HTTP",
                "accessKey", "a", "secretKey", "hidden"));
        assertThat(parsed.endpoint()).contains("http://store.example:80");
        assertThat(parsed.toString()).doesNotContain("hidden");
        assertThat(driver.secretFields()).containsExactly("secretKey");
    }
}
