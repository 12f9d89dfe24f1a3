package dev.ferry.cli;

import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags {@code task create}, {@code task update} and {@code task start} share: filters, the
 * task report and the manifest. On update they replace the task's; on start, for that run only.
 */
final class TaskSettings {
    @Option(names = "--includes", paramLabel = "PATTERNS",
            description = "Only these, '|'-separated: /dir, /logs/*.log, *.csv ('' for none).")
    String includes;
    @Option(names = "--excludes", paramLabel = "PATTERNS", description = "Never these, '|'-separated; an exclude wins.")
    String excludes;
    @Mixin
    ReportOptions report;
    @Mixin
    ReportOptions.ManifestOptions manifest;

    /** Adds what was given to a request body. */
    void addTo(Map<String, Object> body) {
        if (includes != null) {
            body.put("includes", includes);
        }
        if (excludes != null) {
            body.put("excludes", excludes);
        }
        if (report.given()) {
            body.put("taskReportConfig", report.toConfig());
        }
        if (manifest.given()) {
            body.put("manifestConfig", manifest.toConfig());
        }
    }
}
