package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** One line of live progress for an execution: status, a bar, files, bytes, rate and ETA. */
final class ProgressLine {
    private static final int BAR = 24;
    private long lastBytes = -1;
    private long lastNanos;
    private double rate;

    String render(JsonNode execution, long nowNanos) {
        JsonNode c = execution.path("counters");
        long files = c.path("FilesTransferred").asLong() + c.path("FilesSkipped").asLong();
        long filesTotal = Math.max(files, c.path("FilesListedAtSource").asLong());
        long bytes = c.path("BytesTransferred").asLong();
        long bytesTotal = Math.max(bytes, c.path("EstimatedBytesToTransfer").asLong());
        if (lastBytes >= 0 && nowNanos > lastNanos) {
            double instant = (bytes - lastBytes) * 1e9 / (nowNanos - lastNanos);
            rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
        }
        lastBytes = bytes;
        lastNanos = nowNanos;
        double done = bytesTotal > 0 ? (double) bytes / bytesTotal : filesTotal > 0 ? (double) files / filesTotal : 0;
        int filled = (int) Math.round(done * BAR);
        String eta = rate > 1 && bytesTotal > bytes ? duration((long) ((bytesTotal - bytes) / rate)) : "--:--";
        return String.format(Locale.ROOT, "%-12s [%s%s] %3d%%  %,d/%,d files  %s/%s  %s/s  ETA %s",
                execution.path("status").asText(), "#".repeat(filled), "-".repeat(BAR - filled), Math.round(done * 100),
                files, filesTotal, size(bytes), size(bytesTotal), size((long) rate), eta);
    }

    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
