package dev.ferry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpStatus;
import dev.ferry.controlplane.agents.AgentRegistry;
import dev.ferry.controlplane.agents.AgentService;
import dev.ferry.controlplane.api.ApiException;
import dev.ferry.controlplane.security.Hashes;
import dev.ferry.controlplane.security.SecretBox;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Store;
import dev.ferry.controlplane.store.Views;
import dev.ferry.locations.LocationDrivers;
import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.KeyPairs;
import dev.ferry.protocol.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store with its migrations, and the services' rules that rest on it. */
class StoreTest {
    @TempDir
    Path dataDir;
    private Store store;
    private Repository repository;
    private AgentService agents;

    @BeforeEach
    void open() {
        store = Store.embedded(dataDir);
        repository = new Repository(store);
        agents = new AgentService(repository, new AgentRegistry(), CertificateAuthority.create("test"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String csr() {
        return Pem.write(KeyPairs.csr(KeyPairs.generate(), "agent"));
    }

    @Test
    void migrationsApplyOnceAndStateSurvivesAReopen() {
        repository.insertToken("token-1", Hashes.sha256Hex("secret"), "admin");
        store.close();
        store = Store.embedded(dataDir);
        assertThat(new Repository(store).roleOfToken(Hashes.sha256Hex("secret"))).hasValue("admin");
        assertThat(new Repository(store).roleOfToken(Hashes.sha256Hex("other"))).isEmpty();
    }

    @Test
    void anActivationKeyWorksOnceAndNeverAfterItExpires() {
        AgentService.ActivationKey key = agents.createActivationKey();
        assertThat(key.expiresAt()).isBetween(Instant.now().plusSeconds(29 * 60), Instant.now().plusSeconds(31 * 60));
        AgentService.Activation activation = agents.activate(key.activationKey(), "first", csr());
        assertThat(CertificateAuthority.commonName(Pem.certificate(activation.certificate()))).isEqualTo(activation.agentId());

        ApiException reused = (ApiException) org.assertj.core.api.Assertions.catchThrowable(
                () -> agents.activate(key.activationKey(), "second", csr()));
        assertThat(reused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(reused.field()).hasValue("activationKey");
        assertThat(reused.getMessage()).contains("already used");

        String expired = Hashes.newActivationKey();
        repository.insertActivationKey(Hashes.sha256Hex(expired), Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> agents.activate(expired, "late", csr())).hasMessageContaining("expired");
        assertThatThrownBy(() -> agents.activate("not-a-key", "x", csr())).hasMessageContaining("XXXXX-XXXXX");
        assertThatThrownBy(() -> agents.activate(Hashes.newActivationKey(), "x", "garbage")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).field()).hasValue("csr"));
        assertThat(repository.agents()).hasSize(1);
    }

    @Test
    void secretsAreSealedAtRestAndNeverReturned() throws Exception {
        SecretBox box = SecretBox.load(dataDir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("secrets.key")))).isEqualTo("rw-------");
        LocationService locations = new LocationService(repository, LocationDrivers.installed(), box);
        Views.Location created = locations.create(Map.of("type", "s3", "settings", Map.of("bucket", "archive-bucket",
                "accessKey", "AKIAEXAMPLE", "secretKey", "very-secret-value")));
        assertThat(created.settings()).doesNotContainKey("secretKey").containsEntry("accessKey", "AKIAEXAMPLE");
        assertThat(created.secretsSet()).containsExactly("secretKey");
        String stored = repository.jdbi().withHandle(h -> h.createQuery("SELECT settings || COALESCE(secrets, '') FROM locations")
                .mapTo(String.class).one());
        assertThat(stored).doesNotContain("very-secret-value");
        assertThat(locations.fullSettings(locations.row(created.id()))).containsEntry("secretKey", "very-secret-value");
    }

    @Test
    void badInputStoresNothing() {
        LocationService locations = new LocationService(repository, LocationDrivers.installed(), SecretBox.load(dataDir));
        assertThatThrownBy(() -> locations.create(Map.of("type", "posix", "settings", Map.of("path", "/data"))))
                .satisfies(e -> assertThat(((ApiException) e).field()).hasValue("agents"));
        assertThatThrownBy(() -> locations.create(Map.of("type", "ftp"))).satisfies(e -> assertThat(((ApiException) e).field()).hasValue("type"));
        assertThatThrownBy(() -> locations.create(Map.of("type", "s3", "settings", Map.of("bucket", "ok-bucket", "secretKey", "s"))))
                .satisfies(e -> assertThat(((ApiException) e).field()).hasValue("settings.accessKey"));
        TaskService tasks = new TaskService(repository, java.time.Clock.systemUTC(), new dev.ferry.controlplane.executions.DestinationRecords(dataDir.resolve("records")));
        assertThatThrownBy(() -> tasks.create(Map.of("sourceLocationId", "loc-a", "destinationLocationId", "loc-b")))
                .satisfies(e -> assertThat(((ApiException) e).field()).hasValue("sourceLocationId"));
        assertThat(repository.locations()).isEmpty();
        assertThat(repository.tasks()).isEmpty();
    }

    @Test
    void executionsLeftRunningByAStoppedControlPlaneEndInError() {
        LocationService locations = new LocationService(repository, LocationDrivers.installed(), SecretBox.load(dataDir));
        String a = locations.create(Map.of("type", "s3", "settings", Map.of("bucket", "bucket-a"))).id();
        String b = locations.create(Map.of("type", "s3", "settings", Map.of("bucket", "bucket-b"))).id();
        String task = new TaskService(repository, java.time.Clock.systemUTC(), new dev.ferry.controlplane.executions.DestinationRecords(dataDir.resolve("records"))).create(Map.of("sourceLocationId", a, "destinationLocationId", b)).id();
        repository.insertExecution(new Repository.NewExecution("exec-1", task, "USER", Map.of(), "", "", Map.of(), Map.of()));
        repository.executionStatus("exec-1", "TRANSFERRING");
        assertThat(repository.failUnfinishedExecutions("restarted")).isEqualTo(1);
        Views.Execution execution = repository.execution("exec-1").orElseThrow();
        assertThat(execution.status()).isEqualTo("ERROR");
        assertThat(execution.errorCode()).isEqualTo("CONTROL_PLANE_RESTARTED");
        assertThat(repository.executions(java.util.Optional.of(task))).extracting(Views.Execution::id).isEqualTo(List.of("exec-1"));
    }
}
