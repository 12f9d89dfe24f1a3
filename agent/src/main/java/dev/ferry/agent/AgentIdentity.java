package dev.ferry.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What activation leaves in the agent's directory: its private key (0600, never leaves the
 * host), the certificate the control plane issued, the control plane's CA, and where to connect.
 */
public record AgentIdentity(String agentId, String name, String controlPlaneUrl, PrivateKey key, X509Certificate certificate,
        X509Certificate ca) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve("agent.json"));
    }

    public static AgentIdentity load(Path dir) {
        if (!exists(dir)) {
            throw new IllegalStateException("no activated agent in " + dir + "; run 'ferry agent activate' first");
        }
        try {
            Map<?, ?> json = JSON.readValue(dir.resolve("agent.json").toFile(), Map.class);
            return new AgentIdentity((String) json.get("agentId"), (String) json.get("name"), (String) json.get("controlPlane"),
                    Pem.privateKey(Files.readString(dir.resolve("agent.key"))),
                    Pem.certificate(Files.readString(dir.resolve("agent.crt"))),
                    Pem.certificate(Files.readString(dir.resolve("ca.crt"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's identity from " + dir, e);
        }
    }

    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            write(dir.resolve("agent.key"), Pem.write(key), true);
            write(dir.resolve("agent.crt"), Pem.write(certificate), false);
            write(dir.resolve("ca.crt"), Pem.write(ca), false);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("agentId", agentId);
            json.put("name", name);
            json.put("controlPlane", controlPlaneUrl);
            write(dir.resolve("agent.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the agent's identity in " + dir, e);
        }
    }

    private static void write(Path path, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(path.getParent(), ".agent", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
