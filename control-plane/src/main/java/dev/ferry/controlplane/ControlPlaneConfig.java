package dev.ferry.controlplane;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a control plane runs.
 *
 * @param dataDir where the database, CA, secrets key and admin token live, and each task's record of its
 *     destination's files (records/)
 * @param bindHost address the API and data ports listen on; loopback unless agents come from elsewhere
 * @param apiPort HTTPS port of the REST API, agent gRPC, metrics and health (0: any free port)
 * @param dataPort port of the data channel (0: any free port)
 * @param advertiseHost the name agents use to reach this control plane, also put in its certificate
 * @param clock what the scheduler reads the time from (the system's UTC clock but in tests)
 */
public record ControlPlaneConfig(Path dataDir, String bindHost, int apiPort, int dataPort, String advertiseHost,
        java.time.Clock clock) {
    public static final int DEFAULT_API_PORT = 8443;
    public static final int DEFAULT_DATA_PORT = 8444;

    public ControlPlaneConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        checkPort(apiPort, "apiPort");
        checkPort(dataPort, "dataPort");
        Objects.requireNonNull(clock, "clock");
    }

    public ControlPlaneConfig(Path dataDir, String bindHost, int apiPort, int dataPort, String advertiseHost) {
        this(dataDir, bindHost, apiPort, dataPort, advertiseHost, java.time.Clock.systemUTC());
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, got " + port);
        }
    }
}
