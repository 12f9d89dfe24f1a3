package dev.ferry.controlplane.executions;

import dev.ferry.controlplane.store.Json;
import dev.ferry.engine.transfer.DestinationRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each task keeps its {@link DestinationRecord}: one file per task under the control
 * plane's data directory. A record is only ever a shortcut, so a control plane that has none (a
 * new replica, a wiped disk) runs the same tasks with a request per unchanged object instead.
 */
public final class DestinationRecords {
    private final Path directory;

    public DestinationRecords(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens the task's record for a run to {@code locationId}. A record is of one destination: a
     * task moved to another location, or a location given other settings, starts a new one.
     */
    DestinationRecord open(String taskId, String locationId, String type, Map<String, Object> settings) throws IOException {
        return DestinationRecord.open(file(taskId), identity(locationId, type, settings));
    }

    /** Removes the record of a task that is gone. */
    public void delete(String taskId) throws IOException {
        DestinationRecord.delete(file(taskId));
    }

    private Path file(String taskId) {
        return directory.resolve(taskId + ".record");
    }

    /** A digest, since the settings hold secrets and the record file is not where they belong. */
    private static String identity(String locationId, String type, Map<String, Object> settings) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String described = locationId + "\n" + type + "\n" + Json.write(new TreeMap<>(settings));
            return HexFormat.of().formatHex(sha256.digest(described.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
