package dev.ferry.engine.report;

import dev.ferry.engine.transfer.InvalidOptionException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a task report holds: DataSync's {@code OutputType} and {@code ReportLevel}, with a level
 * per list where the task overrides it. Where the report goes is the control plane's business.
 *
 * @param outputType SUMMARY_ONLY writes the summary; STANDARD adds the per-item lists
 * @param levels the level of each list; the failed list always holds every failure
 */
public record ReportSettings(OutputType outputType, Map<ReportList, Level> levels) {
    public enum OutputType { SUMMARY_ONLY, STANDARD }

    public enum Level { ERRORS_ONLY, SUCCESSES_AND_ERRORS }

    /** The per-item lists of a STANDARD report, each its own file. */
    public enum ReportList {
        TRANSFERRED, SKIPPED, VERIFIED, DELETED, FAILED;

        String fieldName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReportSettings {
        levels = Map.copyOf(levels);
    }

    public Level level(ReportList list) {
        return list == ReportList.FAILED ? Level.ERRORS_ONLY : levels.get(list);
    }

    /**
     * Reads {@code outputType}, {@code reportLevel} and {@code overrides.{transferred,skipped,
     * verified,deleted}.reportLevel}; {@code field} prefixes the names errors give.
     */
    public static ReportSettings parse(Map<String, Object> raw, String field) {
        for (String key : raw.keySet()) {
            if (!Set.of("destination", "outputType", "reportLevel", "overrides").contains(key)) {
                throw new InvalidOptionException(field + "." + key, "unknown field; allowed: destination, outputType, "
                        + "reportLevel, overrides");
            }
        }
        OutputType outputType = parseEnum(OutputType.class, raw.getOrDefault("outputType", "STANDARD"), field + ".outputType");
        Level base = parseEnum(Level.class, raw.getOrDefault("reportLevel", "ERRORS_ONLY"), field + ".reportLevel");
        Map<ReportList, Level> levels = new EnumMap<>(ReportList.class);
        for (ReportList list : ReportList.values()) {
            levels.put(list, base);
        }
        Object overrides = raw.get("overrides");
        if (overrides != null) {
            if (!(overrides instanceof Map<?, ?> map)) {
                throw new InvalidOptionException(field + ".overrides", "must be a JSON object");
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                String where = field + ".overrides." + name;
                ReportList list;
                try {
                    list = ReportList.valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    list = null;
                }
                if (list == null || list == ReportList.FAILED || !name.equals(list.fieldName())) {
                    throw new InvalidOptionException(where, "unknown list; overrides exist for transferred, skipped, "
                            + "verified, deleted (the failed list always holds every failure)");
                }
                if (!(e.getValue() instanceof Map<?, ?> override) || !Set.of("reportLevel").containsAll(override.keySet())
                        || !override.containsKey("reportLevel")) {
                    throw new InvalidOptionException(where, "must be {\"reportLevel\": \"ERRORS_ONLY\"|\"SUCCESSES_AND_ERRORS\"}");
                }
                levels.put(list, parseEnum(Level.class, override.get("reportLevel"), where + ".reportLevel"));
            }
        }
        return new ReportSettings(outputType, levels);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, Object value, String field) {
        if (value instanceof String s) {
            for (E candidate : type.getEnumConstants()) {
                if (candidate.name().equals(s)) {
                    return candidate;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E candidate : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(candidate.name());
        }
        throw new InvalidOptionException(field, "must be one of " + allowed + ", got '" + value + "'");
    }
}
