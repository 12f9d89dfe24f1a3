package dev.ferry.cli;

import dev.ferry.agent.Agent;
import dev.ferry.agent.AgentActivation;
import dev.ferry.agent.AgentIdentity;
import dev.ferry.protocol.tls.CertificateAuthority;
import dev.ferry.protocol.tls.Pem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry agent ...}: activation and the daemon on the agent's host, and the admin's view of agents. */
final class AgentCommands {
    private AgentCommands() {
    }

    static Path defaultAgentDir() {
        String env = System.getenv("FERRY_AGENT_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".local", "share", "ferry-agent");
    }

    @Command(name = "agent", description = "Agents: activate and run one here, or list, show and delete them.",
            subcommands = {Activate.class, Run.class, AgentList.class, AgentGet.class, AgentDelete.class})
    static final class AgentCommand {
    }

    @Command(name = "activate", description = "Activate this host's agent with a key from 'ferry activation-key create'.")
    static final class Activate implements Callable<Integer> {
        @Option(names = "--control-plane", required = true, paramLabel = "URL")
        String controlPlane;
        @Option(names = "--activation-key", required = true, paramLabel = "KEY")
        String activationKey;
        @Option(names = "--name", required = true)
        String name;
        @Option(names = "--ca-cert", paramLabel = "FILE",
                description = "The control plane's ca.crt (default: from the config file on the control plane's host).")
        Path caCert;
        @Option(names = "--ca-fingerprint", paramLabel = "SHA256",
                description = "The control plane CA's SHA-256 fingerprint, as 'control-plane run' prints it: the CA is "
                        + "downloaded and trusted only if it matches.")
        String fingerprint;
        @Option(names = "--agent-dir", paramLabel = "DIR", description = "Where the agent keeps its key and certificate.")
        Path agentDir;

        @Override
        public Integer call() throws Exception {
            Path dir = agentDir != null ? agentDir : defaultAgentDir();
            X509Certificate trusted;
            if (caCert == null && fingerprint != null) {
                try {
                    trusted = AgentActivation.fetchPinnedCa(URI.create(controlPlane), fingerprint);
                } catch (AgentActivation.ActivationException e) {
                    throw new CliException(e.getMessage());
                }
            } else {
                Path ca = caCert != null ? caCert : ClientConfig.load().caCertificate()
                        .orElseThrow(() -> new CliException("pass --ca-fingerprint (printed by 'ferry control-plane run') "
                                + "or --ca-cert with the control plane's ca.crt"));
                trusted = Pem.certificate(Files.readString(ca));
                if (fingerprint != null && !CertificateAuthority.fingerprint(trusted).equalsIgnoreCase(fingerprint.trim())) {
                    throw new CliException("the CA certificate in " + ca + " does not have fingerprint " + fingerprint);
                }
            }
            if (AgentIdentity.exists(dir)) {
                throw new CliException("an agent is already activated in " + dir + "; pass another --agent-dir");
            }
            try {
                AgentIdentity identity = AgentActivation.activate(URI.create(controlPlane), activationKey, name, trusted, dir);
                System.out.println("activated agent " + identity.agentId() + " (" + name + "); its key and certificate are in " + dir);
                return 0;
            } catch (AgentActivation.ActivationException e) {
                throw new CliException(e.getMessage());
            }
        }
    }

    @Command(name = "run", description = "Run this host's activated agent until stopped.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--agent-dir", paramLabel = "DIR")
        Path agentDir;
        @Option(names = "--compression", paramLabel = "MODE", description = "When the chunks this agent sends are compressed: "
                + "adaptive (where it pays: while the network backs up, and the data shrinks), always (every chunk that "
                + "shrinks: metered links with CPU to spare) or off. Default: ${DEFAULT-VALUE}.")
        String compression = "adaptive";

        @Override
        public Integer call() throws Exception {
            Logging.daemon();
            Path dir = agentDir != null ? agentDir : defaultAgentDir();
            if (!AgentIdentity.exists(dir)) {
                throw new CliException("no activated agent in " + dir + "; run 'ferry agent activate' first");
            }
            dev.ferry.protocol.frame.Compression mode;
            try {
                mode = dev.ferry.protocol.frame.Compression.parse(compression, "--compression");
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            Agent agent = new Agent(AgentIdentity.load(dir), dev.ferry.engine.wire.DataChannelSettings.DEFAULTS.withCompression(mode))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
            System.out.println("agent " + agent.agentId() + " running; Ctrl-C stops it");
            java.util.Optional<String> fatal = agent.awaitStopped();
            if (fatal.isPresent()) {
                throw new CliException(fatal.get());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List agents with their status.")
    static final class AgentList extends ResourceCommands.ListCommand {
        AgentList() {
            super("/v1/agents", "agents", ResourceCommands.AGENT_COLUMNS);
        }
    }

    @Command(name = "get", description = "Show an agent.")
    static final class AgentGet extends ResourceCommands.GetCommand {
        AgentGet() {
            super("/v1/agents", ResourceCommands.AGENT_COLUMNS);
        }
    }

    @Command(name = "delete", description = "Delete an agent; its certificate stops working at once.")
    static final class AgentDelete extends ResourceCommands.DeleteCommand {
        AgentDelete() {
            super("/v1/agents");
        }
    }
}
