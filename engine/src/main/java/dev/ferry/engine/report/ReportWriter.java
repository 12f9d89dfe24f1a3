package dev.ferry.engine.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.engine.report.ReportSettings.Level;
import dev.ferry.engine.report.ReportSettings.ReportList;
import dev.ferry.engine.transfer.ExecutionListener;
import dev.ferry.engine.transfer.FileFailure;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A task report in the making. Items are streamed as they happen into one JSON file per list in a
 * private scratch directory, so a report of a hundred million items costs disk, never memory; at
 * the end the summary is written and every file is put to the report location.
 *
 * <p>Each list file is {@code {"TaskId", "ExecutionId", "List", "ReportLevel", "Items": [...],
 * "ItemCount"}}; an item has {@code RelativePath}, {@code Type}, {@code ContentSize}, {@code Mtime},
 * {@code Checksum} (where this run computed one), {@code Timestamp}, {@code Status} and, for a
 * failure, {@code Phase}, {@code ErrorCode} and {@code ErrorDetail}.
 */
public final class ReportWriter implements ExecutionListener, AutoCloseable {
    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    /** A finished report file: its name under the report prefix, and how many items it holds. */
    public record ReportFile(String name, Path file, long items) {
    }

    private final ReportSettings settings;
    private final String taskId;
    private final String executionId;
    private final Path scratch;
    private final Map<ReportList, ListFile> lists = new EnumMap<>(ReportList.class);
    private final List<ReportFile> finished = new ArrayList<>();

    /** @param scratch a directory for this report alone; removed by {@link #close()} */
    public ReportWriter(ReportSettings settings, String taskId, String executionId, Path scratch) {
        this.settings = settings;
        this.taskId = taskId;
        this.executionId = executionId;
        this.scratch = scratch;
        try {
            Files.createDirectories(scratch);
            if (settings.outputType() == ReportSettings.OutputType.STANDARD) {
                for (ReportList list : ReportList.values()) {
                    lists.put(list, new ListFile(list));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the report in " + scratch, e);
        }
    }

    @Override
    public void itemTransferred(Entry entry, boolean contentSent, Optional<ContentChecksum> checksum) {
        success(ReportList.TRANSFERRED, entry, checksum, contentSent ? "CONTENT_AND_METADATA" : "METADATA_ONLY");
    }

    @Override
    public void itemSkipped(Entry entry) {
        success(ReportList.SKIPPED, entry, Optional.empty(), null);
    }

    @Override
    public void itemVerified(Entry entry, Optional<ContentChecksum> checksum) {
        success(ReportList.VERIFIED, entry, checksum, null);
    }

    @Override
    public void itemDeleted(Entry entry) {
        success(ReportList.DELETED, entry, Optional.empty(), null);
    }

    @Override
    public void itemFailed(FileFailure failure) {
        ReportList phaseList = switch (failure.phase()) {
            case "TRANSFER" -> ReportList.TRANSFERRED;
            case "VERIFY" -> ReportList.VERIFIED;
            case "DELETE" -> ReportList.DELETED;
            default -> null; // PREPARE failures belong to no success list; the failed list has them.
        };
        if (phaseList != null) {
            write(phaseList, g -> failureItem(g, failure));
        }
        write(ReportList.FAILED, g -> failureItem(g, failure));
    }

    private void success(ReportList list, Entry entry, Optional<ContentChecksum> checksum, String transferType) {
        if (settings.level(list) != Level.SUCCESSES_AND_ERRORS) {
            return;
        }
        write(list, g -> {
            g.writeStartObject();
            g.writeStringField("RelativePath", "/" + entry.key());
            g.writeStringField("Type", entry.type().name());
            g.writeNumberField("ContentSize", entry.size());
            FileMetadata m = entry.metadata();
            if (m.mtime().isPresent()) {
                g.writeStringField("Mtime", m.mtime().get().toString());
            }
            if (checksum.isPresent()) {
                g.writeStringField("Checksum", checksum.get().toString());
            }
            if (transferType != null) {
                g.writeStringField("TransferType", transferType);
            }
            g.writeStringField("Timestamp", Instant.now().toString());
            g.writeStringField("Status", "SUCCESS");
            g.writeEndObject();
        });
    }

    private static void failureItem(JsonGenerator g, FileFailure failure) throws IOException {
        g.writeStartObject();
        g.writeStringField("RelativePath", "/" + failure.key());
        g.writeStringField("Phase", failure.phase());
        g.writeStringField("Timestamp", Instant.now().toString());
        g.writeStringField("Status", "FAILED");
        g.writeStringField("ErrorCode", failure.code());
        g.writeStringField("ErrorDetail", failure.message());
        g.writeEndObject();
    }

    private interface ItemWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private void write(ReportList list, ItemWriter item) {
        ListFile file = lists.get(list);
        if (file != null) {
            file.append(item);
        }
    }

    /**
     * Ends every list and writes {@code summary.json}: the caller's summary (status, counters,
     * timings, settings) and, for each list, its file name and item count.
     */
    public List<ReportFile> finish(Map<String, Object> summary) {
        try {
            List<Map<String, Object>> index = new ArrayList<>();
            for (ListFile list : lists.values()) {
                ReportFile done = list.finish();
                finished.add(done);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("List", list.list.fieldName());
                entry.put("ReportLevel", settings.level(list.list).name());
                entry.put("Key", done.name());
                entry.put("ItemCount", done.items());
                index.add(entry);
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("TaskId", taskId);
            all.put("ExecutionId", executionId);
            all.put("OutputType", settings.outputType().name());
            all.putAll(summary);
            all.put("Lists", index);
            Path file = scratch.resolve("summary.json");
            new ObjectMapper().findAndRegisterModules().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), all);
            finished.add(0, new ReportFile("summary.json", file, 0));
            return List.copyOf(finished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the report", e);
        }
    }

    /** Puts every finished file under {@code prefix} (empty or ending in '/') at the location. */
    public void upload(Location location, String prefix) throws LocationException {
        for (ReportFile file : finished) {
            try (InputStream in = Files.newInputStream(file.file())) {
                location.put(prefix + file.name(), Files.size(file.file()), FileMetadata.NONE, in);
            } catch (IOException e) {
                throw new LocationException("IO_ERROR", "cannot read the report file " + file.name() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        for (ListFile list : lists.values()) {
            list.abandon();
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Scratch space only; what could not go is left for the operating system's temp cleaning.
        }
    }

    /** One list's file, written by many threads in turn. */
    private final class ListFile {
        final ReportList list;
        final Path file;
        final JsonGenerator generator;
        long items;
        boolean ended;
        IOException failure;

        ListFile(ReportList list) throws IOException {
            this.list = list;
            this.file = scratch.resolve(list.fieldName() + ".json");
            this.generator = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8);
            generator.writeStartObject();
            generator.writeStringField("TaskId", taskId);
            generator.writeStringField("ExecutionId", executionId);
            generator.writeStringField("List", list.fieldName());
            generator.writeStringField("ReportLevel", settings.level(list).name());
            generator.writeArrayFieldStart("Items");
        }

        synchronized void append(ItemWriter item) {
            if (ended || failure != null) {
                return;
            }
            try {
                item.write(generator);
                items++;
            } catch (IOException e) {
                failure = e;
            }
        }

        synchronized ReportFile finish() throws IOException {
            if (failure != null) {
                throw failure;
            }
            ended = true;
            generator.writeEndArray();
            generator.writeNumberField("ItemCount", items);
            generator.writeEndObject();
            generator.close();
            return new ReportFile(list.fieldName() + ".json", file, items);
        }

        synchronized void abandon() {
            try {
                ended = true;
                generator.close();
            } catch (IOException e) {
                // Already failed; the file is removed with the scratch directory.
            }
        }
    }
}
