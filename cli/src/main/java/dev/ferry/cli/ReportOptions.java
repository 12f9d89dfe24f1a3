package dev.ferry.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The task report flags, shared by {@code task create}, {@code task update} and {@code task start}. */
final class ReportOptions {
    @Option(names = "--report-location", paramLabel = "LOCATION_ID",
            description = "Write a JSON task report to this location ('' on update: no report).")
    String location;
    @Option(names = "--report-subdirectory", paramLabel = "PATH", description = "Where in that location (then TASK/EXECUTION/).")
    String subdirectory;
    @Option(names = "--report-output-type", paramLabel = "TYPE", description = "SUMMARY_ONLY or STANDARD (default).")
    String outputType;
    @Option(names = "--report-level", paramLabel = "LEVEL", description = "ERRORS_ONLY (default) or SUCCESSES_AND_ERRORS.")
    String level;
    @Option(names = "--report-override", paramLabel = "LIST=LEVEL",
            description = "Level of one list: transferred, skipped, verified or deleted (repeatable).")
    List<String> overrides;

    /** The taskReportConfig these flags ask for; empty when none was given. */
    Map<String, Object> toConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (location == null) {
            if (subdirectory != null || outputType != null || level != null || overrides != null) {
                throw new CliException("--report-location is required with the other --report-* flags");
            }
            return config;
        }
        if (location.isEmpty()) {
            return config;
        }
        Map<String, Object> destination = new LinkedHashMap<>();
        destination.put("locationId", location);
        if (subdirectory != null) {
            destination.put("subdirectory", subdirectory);
        }
        config.put("destination", destination);
        if (outputType != null) {
            config.put("outputType", outputType);
        }
        if (level != null) {
            config.put("reportLevel", level);
        }
        if (overrides != null) {
            Map<String, Object> perList = new LinkedHashMap<>();
            Options.parse(overrides, "--report-override").forEach((list, value) -> perList.put(list, Map.of("reportLevel", value)));
            config.put("overrides", perList);
        }
        return config;
    }

    /** The manifest flags, beside the report's on the same commands. */
    static final class ManifestOptions {
        @Option(names = "--manifest-location", paramLabel = "LOCATION_ID",
                description = "Transfer only the paths in a CSV manifest stored in this location ('' on update: none).")
        String location;
        @Option(names = "--manifest-key", paramLabel = "PATH", description = "The manifest's path in that location.")
        String key;

        boolean given() {
            return location != null || key != null;
        }

        Map<String, Object> toConfig() {
            if (location == null) {
                throw new CliException("--manifest-location is required with --manifest-key");
            }
            if (location.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("locationId", location);
            if (key != null) {
                source.put("key", key);
            }
            return Map.of("source", source, "format", "CSV");
        }
    }

    boolean given() {
        return location != null || subdirectory != null || outputType != null || level != null || overrides != null;
    }
}
