package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds its control plane, token and CA by default: {@code $FERRY_CONFIG}, else
 * {@code ~/.config/ferry/config.json}. Written (0600, it holds a token) by {@code control-plane run}
 * and {@code quickstart}.
 */
public record ClientConfig(Optional<String> controlPlane, Optional<String> token, Optional<Path> caCertificate) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path path() {
        String env = System.getenv("FERRY_CONFIG");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".config", "ferry", "config.json");
    }

    public static ClientConfig load() {
        Path path = path();
        if (!Files.exists(path)) {
            return new ClientConfig(Optional.empty(), Optional.empty(), Optional.empty());
        }
        try {
            Map<?, ?> json = JSON.readValue(path.toFile(), Map.class);
            return new ClientConfig(Optional.ofNullable((String) json.get("controlPlane")), Optional.ofNullable((String) json.get("token")),
                    Optional.ofNullable((String) json.get("caCertificate")).map(Path::of));
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage());
        }
    }

    public static void save(String controlPlane, String token, Path caCertificate) {
        Path path = path();
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("controlPlane", controlPlane);
            json.put("token", token);
            json.put("caCertificate", caCertificate.toAbsolutePath().toString());
            Path temp = Files.createTempFile(path.toAbsolutePath().getParent(), ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
