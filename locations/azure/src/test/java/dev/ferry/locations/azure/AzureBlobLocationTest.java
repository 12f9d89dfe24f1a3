package dev.ferry.locations.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.azure.testing.AzuriteExtension;
import dev.ferry.locations.azure.testing.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class AzureBlobLocationTest extends LocationContractTest {
    private static AzuriteServer server;
    private String container;

    @BeforeAll
    static void server(AzuriteServer shared) {
        server = shared;
    }

    private Map<String, Object> settings(String subdirectory) {
        Map<String, Object> raw = new HashMap<>(server.locationSettings(container, subdirectory));
        raw.put("blockSize", 1L << 20);
        return raw;
    }

    @Override
    protected Location newEmptyLocation() {
        container = server.createContainer();
        return new AzureBlobLocationDriver().open(settings("base/dir"));
    }

    @Override
    protected long multipartSize() {
        return 3L * 1024 * 1024 + 17; // over the 1 MiB blocks set above: four blocks, the last one short
    }

    @Test
    void metadataIsReadableByAnyAzureClientAndTheTierIsSet() {
        Instant mtime = Instant.parse("2021-03-04T05:06:07.123456789Z");
        location.put("f", 3, FileMetadata.of(mtime, mtime, 0644, 1000, 1000).withOwnerNames(java.util.Optional.of("zoë"),
                java.util.Optional.empty()), new ByteArrayInputStream(new byte[3]));
        BlobContainerClient client = server.client().getBlobContainerClient(container);
        Map<String, String> md = client.getBlobClient("base/dir/f").getProperties().getMetadata();
        assertThat(md).containsEntry("file_mtime", "1614834367123456789ns").containsEntry("file_permissions", "0644")
                .containsEntry("file_owner", "1000").containsEntry("file_owner_name", "zo%C3%AB");
        assertThat(location.stat("f").orElseThrow().metadata().owner()).contains("zoë");

        Map<String, Object> cool = settings("cool");
        cool.put("accessTier", "COOL");
        try (Location tiered = new AzureBlobLocationDriver().open(cool)) {
            tiered.put("g", 1, FileMetadata.NONE, new ByteArrayInputStream(new byte[1]));
            byte[] large = bytes((int) multipartSize(), 5);
            tiered.put("h", large.length, FileMetadata.NONE, new ByteArrayInputStream(large));
        }
        assertThat(client.getBlobClient("cool/g").getProperties().getAccessTier().toString()).isEqualTo("Cool");
        assertThat(client.getBlobClient("cool/h").getProperties().getAccessTier().toString()).isEqualTo("Cool");
    }

    @Test
    void aTokenWithoutWriteRightsFailsAsAccessDenied() {
        Map<String, Object> readOnly = settings("ro");
        readOnly.put("sasToken", server.sasToken(container, new BlobContainerSasPermission().setReadPermission(true)
                .setListPermission(true)));
        try (Location location = new AzureBlobLocationDriver().open(readOnly)) {
            assertThatThrownBy(() -> location.put("x", 1, FileMetadata.NONE, new ByteArrayInputStream(new byte[1])))
                    .isInstanceOfSatisfying(LocationException.class, e -> assertThat(e.code()).isEqualTo("ACCESS_DENIED"));
            assertThat(location.stat("x")).isEmpty();
        }
    }

    @Test
    void settingsErrorsNameTheFieldAndTheTokenIsSecret() {
        AzureBlobLocationDriver driver = new AzureBlobLocationDriver();
        assertThatThrownBy(() -> driver.parse(Map.of("sasToken", "sv=1&sig=x"))).hasMessageContaining("settings.containerUrl");
        assertThatThrownBy(() -> driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/", "sasToken", "sig=x")))
                .hasMessageContaining("settings.containerUrl");
        assertThatThrownBy(() -> driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/c?sig=x", "sasToken", "sig=x")))
                .hasMessageContaining("settings.containerUrl");
        assertThatThrownBy(() -> driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/c", "sasToken", "nope")))
                .hasMessageContaining("settings.sasToken");
        assertThatThrownBy(() -> driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/c", "sasToken", "sig=x",
                "accessTier", "WARM"))).hasMessageContaining("settings.accessTier");
        assertThatThrownBy(() -> driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/c", "sasToken", "sig=x",
                "blobType", "PAGE"))).hasMessageContaining("settings.blobType");
        AzureBlobSettings parsed = driver.parse(Map.of("containerUrl", "https://a.blob.core.windows.net/c/", "sasToken",
                "?sv=1&sig=secret", "subdirectory", "/x/y"));
        assertThat(parsed.prefix()).isEqualTo("x/y/");
        assertThat(parsed.sasToken()).isEqualTo("sv=1&sig=secret");
        assertThat(parsed.toString()).doesNotContain("secret");
        assertThat(driver.secretFields()).containsExactly("sasToken");
    }
}
