package dev.ferry.cli;

import dev.ferry.controlplane.ControlPlane;
import dev.ferry.controlplane.ControlPlaneConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry control-plane run}. */
@Command(name = "control-plane", description = "The control plane.", subcommands = ControlPlaneCommand.Run.class)
final class ControlPlaneCommand {

    @Command(name = "run", description = "Run a control plane on the embedded store in --data-dir until stopped.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR")
        Path dataDir;
        @Option(names = "--bind", paramLabel = "HOST", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
        String bind = "127.0.0.1";
        @Option(names = "--api-port", description = "HTTPS port for the API and agents. Default: ${DEFAULT-VALUE}.")
        int apiPort = ControlPlaneConfig.DEFAULT_API_PORT;
        @Option(names = "--data-port", description = "Data-channel port. Default: ${DEFAULT-VALUE}.")
        int dataPort = ControlPlaneConfig.DEFAULT_DATA_PORT;
        @Option(names = "--advertise-host", paramLabel = "HOST", description = "Name agents reach this host by.")
        String advertiseHost;
        @Option(names = "--no-config", description = "Do not write the CLI config file.")
        boolean noConfig;

        @Override
        public Integer call() throws Exception {
            Logging.daemon();
            ControlPlane plane = ControlPlane.start(new ControlPlaneConfig(dataDir, bind, apiPort, dataPort, advertiseHost));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                plane.close();
                stop.countDown();
            }));
            System.out.println("control plane listening at " + plane.apiUrl() + " (data channel on port " + plane.dataPort() + ")");
            System.out.println("CA certificate: " + plane.caCertificateFile() + " (SHA-256 " + plane.caFingerprint() + ")");
            plane.newAdminToken().ifPresent(token -> System.out.println("admin API token (shown once; also in "
                    + dataDir.resolve("admin.token") + ", mode 0600): " + token));
            if (!noConfig) {
                ClientConfig.save(plane.apiUrl(), plane.adminToken(), plane.caCertificateFile());
                System.out.println("CLI config written to " + ClientConfig.path());
            }
            System.out.flush();
            stop.await();
            return 0;
        }
    }
}
