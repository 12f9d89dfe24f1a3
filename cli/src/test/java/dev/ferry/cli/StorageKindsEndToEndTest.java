package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.engine.testing.Trees;
import dev.ferry.locations.azure.testing.AzuriteExtension;
import dev.ferry.locations.azure.testing.AzuriteServer;
import dev.ferry.locations.nfs.testing.GaneshaExtension;
import dev.ferry.locations.nfs.testing.GaneshaServer;
import dev.ferry.locations.smb.testing.SambaExtension;
import dev.ferry.locations.smb.testing.SambaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kinds beyond posix and S3 through the product's own path: locations made through the API
 * (agents required, optional or refused by kind; secrets never returned), tasks run by the control
 * plane, one side served by an agent process over the data channel, the other by the control
 * plane's own worker.
 */
@ExtendWith({AzuriteExtension.class, SambaExtension.class, GaneshaExtension.class})
class StorageKindsEndToEndTest {
    @TempDir
    Path temp;
    private FerryPair ferry;

    @AfterEach
    void stop() {
        if (ferry != null) {
            ferry.close();
        }
    }

    @Test
    void nfsToAzureByTheControlPlaneAndAzureToSmbThroughTheAgent(GaneshaServer nfs, AzuriteServer azurite, SambaServer samba)
            throws Exception {
        ferry = FerryPair.start(temp);
        ApiClient api = ferry.api();
        // Seed the NFS export as any NFS client would leave it: through the server's file system.
        Map<String, Object> nfsSettings = nfs.locationSettings();
        Path exported = nfs.exportPath().resolve(((String) nfsSettings.get("subdirectory")).substring(GaneshaServer.PSEUDO.length() + 1));
        Trees.generate(exported, 0);

        assertThat(error(() -> api.post("/v1/locations", Map.of("type", "nfs", "settings", nfsSettings))))
                .contains("field: agents");
        String nfsLocation = api.post("/v1/locations", Map.of("type", "nfs", "agents", List.of(ferry.agentId()),
                "settings", nfsSettings)).get("id").asText();
        String container = azurite.createContainer();
        JsonNode azure = api.post("/v1/locations", Map.of("type", "azure-blob", "settings",
                azurite.locationSettings(container, "copy")));
        assertThat(azure.path("settings").has("sasToken")).as("a secret is never returned").isFalse();
        assertThat(azure.path("secretsSet").toString()).contains("sasToken");

        JsonNode up = run(api, nfsLocation, azure.get("id").asText());
        assertThat(up.path("status").asText()).as(up.toString()).isEqualTo("SUCCESS");
        BlobContainerClient blobs = azurite.client().getBlobContainerClient(container);
        try (Stream<Path> files = Files.walk(exported)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = "copy/" + exported.relativize(file);
                assertThat(Trees.sha256(blobs.getBlobClient(name).downloadContent().toBytes())).as(name).isEqualTo(Trees.sha256(file));
            }
        }

        Map<String, Object> smbSettings = samba.locationSettings("data");
        Path share = samba.sharePath("data").resolve(((String) smbSettings.get("subdirectory")).substring("/data/".length()));
        JsonNode smb = api.post("/v1/locations", Map.of("type", "smb", "agents", List.of(ferry.agentId()), "settings", smbSettings));
        assertThat(smb.path("settings").has("password")).isFalse();
        JsonNode down = run(api, azure.get("id").asText(), smb.get("id").asText());
        assertThat(down.path("status").asText()).as(down.toString()).isEqualTo("SUCCESS");
        Trees.assertSameContent(exported, share);
    }

    private static JsonNode run(ApiClient api, String source, String destination) {
        String task = api.post("/v1/tasks", Map.of("sourceLocationId", source, "destinationLocationId", destination)).get("id").asText();
        String execution = api.post("/v1/tasks/" + task + "/start", Map.of()).get("id").asText();
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = api.get("/v1/task-executions/" + execution);
            return ExecutionWatch.TERMINAL.contains(last[0].path("status").asText());
        });
        return last[0];
    }

    private static String error(Runnable call) {
        try {
            call.run();
            return "";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
