package dev.ferry.locations.azure.testing;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.ferry.locations.testing.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Azurite blob service in its own process, on a free loopback port, storing blobs in a
 * temporary directory; telemetry off. Azurite is installed by {@code scripts/test} and found
 * through {@code ferry.test.azurite}. {@link #close()} stops it and removes its directory.
 */
public final class AzuriteServer implements AutoCloseable {
    /** Azurite's well-known development account; its key is public. */
    public static final String ACCOUNT = "devstoreaccount1";
    private static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final ServerProcess process;
    private final Path directory;
    private final int port;

    private AzuriteServer(ServerProcess process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    public static AzuriteServer start() {
        String azurite = System.getProperty("ferry.test.azurite");
        if (azurite == null || !Files.isRegularFile(Path.of(azurite))) {
            throw new IllegalStateException("Azurite is not installed at " + azurite + "; ./scripts/test installs it");
        }
        try {
            Path directory = Files.createTempDirectory("ferry-azurite");
            Path data = Files.createDirectory(directory.resolve("data"));
            int port = ServerProcess.freePort();
            ServerProcess process = ServerProcess.start("azurite", directory, List.of(azurite, "--blobHost", "127.0.0.1",
                    "--blobPort", Integer.toString(port), "--location", data.toString(), "--disableTelemetry",
                    "--skipApiVersionCheck", "--silent", "--loose"), Map.of(), port);
            return new AzuriteServer(process, directory, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with the account key, for checking what the service holds independently of Ferry's driver. */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().endpoint("http://127.0.0.1:" + port + "/" + ACCOUNT)
                .credential(new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY))
                .httpClient(new JdkHttpClientBuilder().build()).buildClient();
    }

    /** Creates a container with a unique name and returns it. */
    public String createContainer() {
        String name = "ferry-" + UUID.randomUUID().toString().substring(0, 18);
        client().createBlobContainer(name);
        return name;
    }

    public String containerUrl(String container) {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + container;
    }

    /** A SAS token for the container with every right Ferry needs, valid for a day. */
    public String sasToken(String container) {
        return sasToken(container, new BlobContainerSasPermission().setReadPermission(true).setWritePermission(true)
                .setCreatePermission(true).setAddPermission(true).setDeletePermission(true).setListPermission(true));
    }

    public String sasToken(String container, BlobContainerSasPermission permissions) {
        BlobContainerClient client = client().getBlobContainerClient(container);
        return client.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusDays(1), permissions));
    }

    /** Settings of an {@code azure-blob} location on a new container. */
    public Map<String, Object> locationSettings(String container, String subdirectory) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("containerUrl", containerUrl(container));
        raw.put("sasToken", sasToken(container));
        if (!subdirectory.isEmpty()) {
            raw.put("subdirectory", subdirectory);
        }
        return raw;
    }

    @Override
    public void close() {
        process.close();
        ServerProcess.deleteTree(directory);
    }
}
