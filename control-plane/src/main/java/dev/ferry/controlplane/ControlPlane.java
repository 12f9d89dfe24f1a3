package dev.ferry.controlplane;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.ferry.controlplane.agents.AgentControlService;
import dev.ferry.controlplane.agents.AgentRegistry;
import dev.ferry.controlplane.agents.AgentService;
import dev.ferry.controlplane.api.ApiService;
import dev.ferry.controlplane.api.BearerAuth;
import dev.ferry.controlplane.executions.DataSessions;
import dev.ferry.controlplane.executions.DestinationRecords;
import dev.ferry.controlplane.executions.ExecutionService;
import dev.ferry.controlplane.schedules.Scheduler;
import dev.ferry.controlplane.security.ControlPlanePki;
import dev.ferry.controlplane.security.Hashes;
import dev.ferry.controlplane.security.PrivateFiles;
import dev.ferry.controlplane.security.SecretBox;
import dev.ferry.controlplane.store.Ids;
import dev.ferry.controlplane.store.Repository;
import dev.ferry.controlplane.store.Store;
import dev.ferry.engine.wire.DataChannelServer;
import dev.ferry.engine.wire.DataChannelSettings;
import dev.ferry.locations.LocationDrivers;
import dev.ferry.protocol.tls.TlsContexts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running control plane: one Armeria server (REST API, agent gRPC, metrics, health, OpenAPI)
 * on an HTTPS port whose certificate comes from the control plane's own CA, and the data-channel
 * endpoint on its own port.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Store store;
    private final Server server;
    private final DataChannelServer dataServer;
    private final ExecutionService executions;
    private final Scheduler scheduler;
    private final ControlPlanePki pki;
    private final Optional<String> newAdminToken;
    private final String adminToken;
    private final String advertiseHost;
    private final java.util.concurrent.ScheduledExecutorService sweeper;

    private ControlPlane(Store store, Server server, DataChannelServer dataServer, ExecutionService executions,
            Scheduler scheduler, ControlPlanePki pki, Optional<String> newAdminToken, String adminToken, String advertiseHost,
            java.util.concurrent.ScheduledExecutorService sweeper) {
        this.store = store;
        this.server = server;
        this.dataServer = dataServer;
        this.executions = executions;
        this.scheduler = scheduler;
        this.pki = pki;
        this.newAdminToken = newAdminToken;
        this.adminToken = adminToken;
        this.advertiseHost = advertiseHost;
        this.sweeper = sweeper;
    }

    public static ControlPlane start(ControlPlaneConfig config) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        String advertise = config.advertiseHost() != null ? config.advertiseHost()
                : isWildcard(config.bindHost()) ? InetAddress.getLocalHost().getHostName() : config.bindHost();
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1", advertise));
        if (!isWildcard(config.bindHost()) && !hosts.contains(config.bindHost())) {
            hosts.add(config.bindHost());
        }
        ControlPlanePki pki = ControlPlanePki.load(dataDir, hosts.stream().distinct().toList());
        SecretBox secrets = SecretBox.load(dataDir);
        Store store = Store.embedded(dataDir);
        Repository repository = new Repository(store);
        Optional<String> newToken = Optional.empty();
        Path tokenFile = dataDir.resolve("admin.token");
        if (!repository.anyToken()) {
            String token = Hashes.newToken();
            repository.insertToken(Ids.next("token"), Hashes.sha256Hex(token), "admin");
            PrivateFiles.write(tokenFile, token + "\n");
            newToken = Optional.of(token);
        }
        String adminToken = Files.exists(tokenFile) ? PrivateFiles.read(tokenFile).trim() : "";

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentRegistry registry = new AgentRegistry();
        meters.gauge("ferry.agents.online", registry, AgentRegistry::onlineCount);
        LocationDrivers drivers = LocationDrivers.installed();
        DataSessions sessions = new DataSessions();
        InetSocketAddress dataBind = new InetSocketAddress(config.bindHost(), config.dataPort());
        DataChannelServer dataServer = new DataChannelServer(dataBind,
                TlsContexts.server(pki.serverKey(), pki.serverCertificate(), pki.ca().certificate()), sessions,
                DataChannelSettings.DEFAULTS);

        AgentService agents = new AgentService(repository, registry, pki.ca());
        LocationService locations = new LocationService(repository, drivers, secrets);
        DestinationRecords records = new DestinationRecords(dataDir.resolve("records"));
        TaskService tasks = new TaskService(repository, config.clock(), records);
        ExecutionService executions = new ExecutionService(repository, tasks, locations, drivers, registry, sessions, meters,
                advertise, dataServer.port(), records);
        Scheduler scheduler = new Scheduler(repository, executions, config.clock(), meters);

        ServerBuilder sb = Server.builder()
                .https(new InetSocketAddress(config.bindHost(), config.apiPort()))
                .tls(pki.serverKey(), pki.serverCertificate())
                // Agents present their certificate on this port (for gRPC); API clients need none.
                .tlsCustomizer(tls -> tls.clientAuth(ClientAuth.OPTIONAL).trustManager(pki.ca().certificate()))
                .meterRegistry(meters)
                .service(GrpcService.builder().addService(new AgentControlService(repository, registry)).build())
                .annotatedService(new ApiService(agents, locations, tasks, executions))
                .decorator("prefix:/v1/", new BearerAuth(repository))
                .service("/healthz", (ctx, req) -> HttpResponse.of(MediaType.PLAIN_TEXT_UTF_8, "ok\n"))
                .service("/metrics", (ctx, req) -> HttpResponse.of(MediaType.PLAIN_TEXT_UTF_8, meters.scrape()))
                // The CA certificate is public; agents pin it by the fingerprint printed at start.
                .service("/ca.crt", (ctx, req) -> HttpResponse.of(MediaType.parse("application/x-pem-file"),
                        dev.ferry.protocol.tls.Pem.write(pki.ca().certificate())))
                .service("/openapi.yaml", (ctx, req) -> HttpResponse.of(MediaType.parse("application/yaml"), openApi()));
        Server server = sb.build();
        server.start().join();
        // A platform thread: the sweep must not wait behind busy virtual threads to notice silent agents on time.
        java.util.concurrent.ScheduledExecutorService sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("agent-sweeper").daemon().factory());
        sweeper.scheduleAtFixedRate(registry::sweep, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
        scheduler.start();
        ControlPlane plane = new ControlPlane(store, server, dataServer, executions, scheduler, pki, newToken, adminToken,
                advertise, sweeper);
        LOG.info("event=control_plane_started api={} data_port={} data_dir={}", plane.apiUrl(), dataServer.port(), dataDir);
        return plane;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    private static String openApi() {
        try (InputStream in = ControlPlane.class.getResourceAsStream("/openapi.yaml")) {
            return in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int apiPort() {
        return server.activeLocalPort();
    }

    public int dataPort() {
        return dataServer.port();
    }

    public String apiUrl() {
        String host = advertiseHost.contains(":") ? "[" + advertiseHost + "]" : advertiseHost;
        return "https://" + host + ":" + apiPort();
    }

    /** The admin token, when this start created it (printed once by the caller). */
    public Optional<String> newAdminToken() {
        return newAdminToken;
    }

    /** The admin token from the data directory's 0600 file, for writing the local CLI config. */
    public String adminToken() {
        return adminToken;
    }

    public Path caCertificateFile() {
        return pki.caCertificateFile();
    }

    public String caFingerprint() {
        return dev.ferry.protocol.tls.CertificateAuthority.fingerprint(pki.ca().certificate());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        scheduler.close();
        executions.close();
        server.stop().join();
        dataServer.close();
        store.close();
    }
}
