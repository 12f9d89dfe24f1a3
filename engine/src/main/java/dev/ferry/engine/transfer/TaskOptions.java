package dev.ferry.engine.transfer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A task's options, named and valued as DataSync names them. {@link #parse} checks every name and
 * value and the combinations DataSync forbids; values Ferry does not implement yet are refused
 * with a message saying so rather than accepted and ignored.
 */
public record TaskOptions(
        VerifyMode verifyMode,
        OverwriteMode overwriteMode,
        TransferMode transferMode,
        PreserveDeletedFiles preserveDeletedFiles,
        Mtime mtime,
        Atime atime,
        IdMapping uid,
        IdMapping gid,
        PosixPermissions posixPermissions,
        PreserveDevices preserveDevices,
        SecurityDescriptorCopyFlags securityDescriptorCopyFlags,
        ObjectTags objectTags,
        long bytesPerSecond,
        TaskQueueing taskQueueing,
        LogLevel logLevel) {

    public enum VerifyMode { POINT_IN_TIME_CONSISTENT, ONLY_FILES_TRANSFERRED, NONE }

    public enum OverwriteMode { ALWAYS, NEVER }

    public enum TransferMode { CHANGED, ALL }

    public enum PreserveDeletedFiles { PRESERVE, REMOVE }

    public enum Mtime { PRESERVE, NONE }

    public enum Atime { BEST_EFFORT, NONE }

    public enum IdMapping { INT_VALUE, NAME, BOTH, NONE }

    public enum PosixPermissions { PRESERVE, NONE }

    public enum PreserveDevices { NONE, PRESERVE }

    public enum SecurityDescriptorCopyFlags { NONE, OWNER_DACL, OWNER_DACL_SACL }

    public enum ObjectTags { PRESERVE, NONE }

    public enum TaskQueueing { ENABLED, DISABLED }

    public enum LogLevel { OFF, BASIC, TRANSFER }

    public static final TaskOptions DEFAULTS = new TaskOptions(VerifyMode.POINT_IN_TIME_CONSISTENT, OverwriteMode.ALWAYS,
            TransferMode.CHANGED, PreserveDeletedFiles.PRESERVE, Mtime.PRESERVE, Atime.BEST_EFFORT, IdMapping.INT_VALUE,
            IdMapping.INT_VALUE, PosixPermissions.PRESERVE, PreserveDevices.NONE, SecurityDescriptorCopyFlags.OWNER_DACL,
            ObjectTags.PRESERVE, -1, TaskQueueing.ENABLED, LogLevel.BASIC);

    private static final Set<String> NAMES = Set.of("VerifyMode", "OverwriteMode", "TransferMode", "PreserveDeletedFiles",
            "Mtime", "Atime", "Uid", "Gid", "PosixPermissions", "PreserveDevices", "SecurityDescriptorCopyFlags", "ObjectTags",
            "BytesPerSecond", "TaskQueueing", "LogLevel");

    /** Reads options from their JSON form, starting from {@code base} (defaults, or the task's own). */
    public static TaskOptions parse(Map<String, Object> raw, TaskOptions base) {
        if (raw == null) {
            return base;
        }
        for (String name : raw.keySet()) {
            if (!NAMES.contains(name)) {
                throw new InvalidOptionException("options." + name, "unknown option; known options: " + new java.util.TreeSet<>(NAMES));
            }
        }
        TaskOptions options = new TaskOptions(
                value(raw, "VerifyMode", VerifyMode.class, base.verifyMode),
                value(raw, "OverwriteMode", OverwriteMode.class, base.overwriteMode),
                value(raw, "TransferMode", TransferMode.class, base.transferMode),
                value(raw, "PreserveDeletedFiles", PreserveDeletedFiles.class, base.preserveDeletedFiles),
                value(raw, "Mtime", Mtime.class, base.mtime),
                value(raw, "Atime", Atime.class, base.atime),
                value(raw, "Uid", IdMapping.class, base.uid),
                value(raw, "Gid", IdMapping.class, base.gid),
                value(raw, "PosixPermissions", PosixPermissions.class, base.posixPermissions),
                value(raw, "PreserveDevices", PreserveDevices.class, base.preserveDevices),
                value(raw, "SecurityDescriptorCopyFlags", SecurityDescriptorCopyFlags.class, base.securityDescriptorCopyFlags),
                value(raw, "ObjectTags", ObjectTags.class, base.objectTags),
                bytesPerSecond(raw.get("BytesPerSecond"), base.bytesPerSecond),
                value(raw, "TaskQueueing", TaskQueueing.class, base.taskQueueing),
                value(raw, "LogLevel", LogLevel.class, base.logLevel));
        options.validate();
        return options;
    }

    private void validate() {
        if ((mtime == Mtime.PRESERVE) != (atime == Atime.BEST_EFFORT)) {
            throw new InvalidOptionException("options.Atime",
                    "Mtime and Atime go together: Mtime=PRESERVE needs Atime=BEST_EFFORT, Mtime=NONE needs Atime=NONE");
        }
        if (preserveDeletedFiles == PreserveDeletedFiles.REMOVE && transferMode == TransferMode.ALL) {
            throw new InvalidOptionException("options.PreserveDeletedFiles",
                    "PreserveDeletedFiles=REMOVE cannot be combined with TransferMode=ALL");
        }
    }

    private static <E extends Enum<E>> E value(Map<String, Object> raw, String name, Class<E> type, E fallback) {
        Object value = raw.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(s)) {
                    return constant;
                }
            }
        }
        throw new InvalidOptionException("options." + name, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    private static long bytesPerSecond(Object value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == n.longValue() && (n.longValue() == -1 || n.longValue() > 0)) {
            return n.longValue();
        }
        throw new InvalidOptionException("options.BytesPerSecond", "must be -1 (unlimited) or a positive whole number, got " + value);
    }

    /** The same options with another BytesPerSecond, the one option a running execution may change. */
    public TaskOptions withBytesPerSecond(long value) {
        return new TaskOptions(verifyMode, overwriteMode, transferMode, preserveDeletedFiles, mtime, atime, uid, gid,
                posixPermissions, preserveDevices, securityDescriptorCopyFlags, objectTags, value, taskQueueing, logLevel);
    }

    /** The JSON form, every option spelled out. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("VerifyMode", verifyMode.name());
        map.put("OverwriteMode", overwriteMode.name());
        map.put("TransferMode", transferMode.name());
        map.put("PreserveDeletedFiles", preserveDeletedFiles.name());
        map.put("Mtime", mtime.name());
        map.put("Atime", atime.name());
        map.put("Uid", uid.name());
        map.put("Gid", gid.name());
        map.put("PosixPermissions", posixPermissions.name());
        map.put("PreserveDevices", preserveDevices.name());
        // Applies to SMB locations only; stored so a task keeps its setting when they arrive.
        map.put("SecurityDescriptorCopyFlags", securityDescriptorCopyFlags.name());
        map.put("ObjectTags", objectTags.name());
        map.put("BytesPerSecond", bytesPerSecond);
        map.put("TaskQueueing", taskQueueing.name());
        map.put("LogLevel", logLevel.name());
        return map;
    }

    @Override
    public String toString() {
        return toMap().toString().toLowerCase(Locale.ROOT);
    }
}
