package dev.ferry.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.engine.transfer.FilterRules;
import dev.ferry.engine.transfer.InvalidOptionException;
import dev.ferry.engine.transfer.TaskOptions;
import dev.ferry.engine.transfer.Transfer;
import dev.ferry.engine.transfer.TransferResult;
import dev.ferry.locations.posix.PosixLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task reports from real transfers between directories, written to a real location and read back. */
class ReportWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    private Path src;
    private Path dst;
    private Path reports;

    @BeforeEach
    void trees() throws IOException {
        src = Files.createDirectories(temp.resolve("src"));
        dst = Files.createDirectories(temp.resolve("dst"));
        reports = Files.createDirectories(temp.resolve("reports"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createDirectories(src.resolve("dir"));
        Files.writeString(src.resolve("dir/b.txt"), "bravo");
        Files.writeString(src.resolve("dir/c.txt"), "charlie");
        Files.writeString(src.resolve("keep.txt"), "kept");
        Files.copy(src.resolve("keep.txt"), dst.resolve("keep.txt"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** A directory where the source has a file: that one file fails, by type. */
    private void typeConflict() throws IOException {
        Files.createDirectories(dst.resolve("dir/b.txt"));
        Files.writeString(dst.resolve("dir/b.txt/inner.txt"), "in the way");
    }

    private Map<String, JsonNode> run(Map<String, Object> options, Map<String, Object> reportConfig) throws IOException {
        ReportSettings settings = ReportSettings.parse(reportConfig, "taskReportConfig");
        try (ReportWriter writer = new ReportWriter(settings, "task-1", "exec-1", temp.resolve("scratch-" + System.nanoTime()));
                PosixLocation reportLocation = new PosixLocation(reports)) {
            TransferResult result = new Transfer("execution=exec-1 task=task-1", new PosixLocation(src), new PosixLocation(dst),
                    TaskOptions.parse(options, TaskOptions.DEFAULTS), FilterRules.NONE, 4, () -> 0, writer).run();
            writer.finish(Map.of("Status", result.outcome().name(), "Counters", result.counters(), "Result", result.phaseStatuses()));
            writer.upload(reportLocation, "r/task-1/exec-1/");
        }
        Map<String, JsonNode> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(reports.resolve("r/task-1/exec-1"))) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), JSON.readTree(file.toFile()));
            }
        }
        return files;
    }

    private static List<String> items(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list.get("Items")) {
            out.add(item.get("RelativePath").asText() + " " + item.get("Status").asText()
                    + (item.has("ErrorCode") ? " " + item.get("Phase").asText() + " " + item.get("ErrorCode").asText() : ""));
        }
        out.sort(null);
        assertThat(list.get("ItemCount").asLong()).isEqualTo(out.size());
        return out;
    }

    private static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void standardWithSuccessesListsEveryItemWithOverridesAndFailuresCarryTheirCodes() throws Exception {
        typeConflict();
        Map<String, JsonNode> report = run(Map.of("VerifyMode", "POINT_IN_TIME_CONSISTENT"),
                Map.of("outputType", "STANDARD", "reportLevel", "SUCCESSES_AND_ERRORS",
                        "overrides", Map.of("skipped", Map.of("reportLevel", "ERRORS_ONLY"))));
        assertThat(report).containsOnlyKeys("summary.json", "transferred.json", "skipped.json", "verified.json", "deleted.json",
                "failed.json");

        assertThat(items(report.get("transferred.json"))).containsExactly(
                "/a.txt SUCCESS", "/dir/b.txt FAILED TRANSFER TYPE_CONFLICT", "/dir/c.txt SUCCESS");
        assertThat(items(report.get("skipped.json"))).as("ERRORS_ONLY: skips are not errors").isEmpty();
        assertThat(report.get("skipped.json").get("ReportLevel").asText()).isEqualTo("ERRORS_ONLY");
        assertThat(items(report.get("deleted.json"))).isEmpty();
        assertThat(items(report.get("verified.json"))).containsExactly("/a.txt SUCCESS", "/dir/ SUCCESS",
                "/dir/b.txt FAILED VERIFY MISSING_AT_DESTINATION", "/dir/c.txt SUCCESS", "/keep.txt SUCCESS");
        assertThat(items(report.get("failed.json"))).containsExactly("/dir/b.txt FAILED TRANSFER TYPE_CONFLICT",
                "/dir/b.txt FAILED VERIFY MISSING_AT_DESTINATION");

        JsonNode a = report.get("verified.json").get("Items").findParents("RelativePath").stream()
                .filter(n -> n.get("RelativePath").asText().equals("/a.txt")).findFirst().orElseThrow();
        assertThat(a.get("Type").asText()).isEqualTo("FILE");
        assertThat(a.get("ContentSize").asLong()).isEqualTo(5);
        assertThat(a.get("Checksum").asText()).isEqualTo(sha256("alpha"));
        assertThat(a.get("Mtime").asText()).isNotBlank();
        assertThat(a.get("Timestamp").asText()).isNotBlank();
        JsonNode failure = report.get("failed.json").get("Items").get(0);
        assertThat(failure.get("ErrorDetail").asText()).isNotBlank();

        JsonNode summary = report.get("summary.json");
        assertThat(summary.get("TaskId").asText()).isEqualTo("task-1");
        assertThat(summary.get("ExecutionId").asText()).isEqualTo("exec-1");
        assertThat(summary.get("Status").asText()).isEqualTo("ERROR");
        assertThat(summary.get("Counters").get("FilesFailedTransfer").asLong()).isEqualTo(1);
        assertThat(summary.get("Counters").get("FilesFailedVerify").asLong()).isEqualTo(1);
        assertThat(summary.get("Result").get("PrepareStatus").asText()).isEqualTo("SUCCESS");
        assertThat(summary.get("Result").get("TransferStatus").asText()).isEqualTo("ERROR");
        assertThat(summary.get("Result").get("VerifyStatus").asText()).isEqualTo("ERROR");
        assertThat(summary.get("Lists")).hasSize(5);
        assertThat(summary.get("Lists").findValuesAsText("Key")).contains("transferred.json", "failed.json");
    }

    @Test
    void errorsOnlyListsOnlyFailuresUnlessAListOverridesIt() throws Exception {
        typeConflict();
        Map<String, JsonNode> report = run(Map.of("VerifyMode", "ONLY_FILES_TRANSFERRED"),
                Map.of("reportLevel", "ERRORS_ONLY", "overrides", Map.of("verified", Map.of("reportLevel", "SUCCESSES_AND_ERRORS"))));
        assertThat(items(report.get("transferred.json"))).containsExactly("/dir/b.txt FAILED TRANSFER TYPE_CONFLICT");
        assertThat(items(report.get("deleted.json"))).isEmpty();
        assertThat(items(report.get("verified.json"))).containsExactly("/a.txt SUCCESS", "/dir/c.txt SUCCESS");
        assertThat(report.get("verified.json").get("Items").get(0).get("Checksum").asText())
                .isIn(sha256("alpha"), sha256("charlie"));
        assertThat(items(report.get("failed.json"))).containsExactly("/dir/b.txt FAILED TRANSFER TYPE_CONFLICT");
    }

    @Test
    void deletionsAreListedFilesAndDirectoriesAlike() throws Exception {
        Files.writeString(dst.resolve("old.txt"), "gone at the source");
        Files.createDirectories(dst.resolve("olddir"));
        Files.writeString(dst.resolve("olddir/x.txt"), "gone too");
        Map<String, JsonNode> report = run(Map.of("PreserveDeletedFiles", "REMOVE"),
                Map.of("reportLevel", "SUCCESSES_AND_ERRORS"));
        assertThat(items(report.get("deleted.json"))).containsExactly("/old.txt SUCCESS", "/olddir/ SUCCESS",
                "/olddir/x.txt SUCCESS");
        assertThat(items(report.get("skipped.json"))).containsExactly("/keep.txt SUCCESS");
        assertThat(items(report.get("failed.json"))).isEmpty();
        assertThat(report.get("summary.json").get("Status").asText()).isEqualTo("SUCCESS");
        JsonNode counters = report.get("summary.json").get("Counters");
        assertThat(counters.get("FilesListedAtDestinationForDelete").asLong()).isEqualTo(2);
        assertThat(counters.get("FoldersListedAtDestinationForDelete").asLong()).isEqualTo(1);
        assertThat(counters.get("EstimatedFoldersToDelete").asLong()).isEqualTo(1);
        assertThat(counters.get("FoldersDeleted").asLong()).isEqualTo(1);
        assertThat(counters.get("FilesDeleted").asLong()).isEqualTo(2);
        assertThat(Files.exists(dst.resolve("olddir"))).isFalse();
    }

    @Test
    void summaryOnlyWritesTheSummaryAlone() throws Exception {
        Map<String, JsonNode> report = run(Map.of(), Map.of("outputType", "SUMMARY_ONLY"));
        assertThat(report).containsOnlyKeys("summary.json");
        assertThat(report.get("summary.json").get("OutputType").asText()).isEqualTo("SUMMARY_ONLY");
        assertThat(report.get("summary.json").get("Lists")).isEmpty();
        assertThat(report.get("summary.json").get("Counters").get("FilesTransferred").asLong()).isEqualTo(3);
    }

    @Test
    void malformedSettingsNameTheField() {
        assertThatThrownBy(() -> ReportSettings.parse(Map.of("outputType", "FULL"), "taskReportConfig"))
                .isInstanceOf(InvalidOptionException.class)
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("taskReportConfig.outputType"));
        assertThatThrownBy(() -> ReportSettings.parse(Map.of("overrides", Map.of("moved", Map.of("reportLevel", "ERRORS_ONLY"))),
                "taskReportConfig"))
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("taskReportConfig.overrides.moved"));
        assertThatThrownBy(() -> ReportSettings.parse(Map.of("overrides", Map.of("skipped", Map.of("reportLevel", "ALL"))),
                "taskReportConfig"))
                .satisfies(e -> assertThat(((InvalidOptionException) e).field())
                        .isEqualTo("taskReportConfig.overrides.skipped.reportLevel"));
        assertThatThrownBy(() -> ReportSettings.parse(Map.of("level", "ALL"), "taskReportConfig"))
                .satisfies(e -> assertThat(((InvalidOptionException) e).field()).isEqualTo("taskReportConfig.level"));
    }
}
