package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static JsonNode execution(String status, long files, long listed, long bytes, long estimated) throws Exception {
        return ApiClient.JSON.readTree(("{\"status\":\"%s\",\"counters\":{\"FilesTransferred\":%d,\"FilesSkipped\":0,"
                + "\"FilesListedAtSource\":%d,\"BytesTransferred\":%d,\"EstimatedBytesToTransfer\":%d}}")
                .formatted(status, files, listed, bytes, estimated));
    }

    @Test
    void showsFilesBytesRateAndEta() throws Exception {
        ProgressLine line = new ProgressLine();
        line.render(execution("TRANSFERRING", 10, 100, 100L << 20, 1000L << 20), 0);
        String second = line.render(execution("TRANSFERRING", 20, 100, 200L << 20, 1000L << 20), 1_000_000_000L);
        assertThat(second).startsWith("TRANSFERRING").contains("[#####---", " 20%", "20/100 files", "200.0 MiB/1000.0 MiB",
                "100.0 MiB/s", "ETA 00:08");
    }

    @Test
    void aFinishedExecutionShowsAFullBar() throws Exception {
        String done = new ProgressLine().render(execution("SUCCESS", 5, 5, 2048, 2048), 0);
        assertThat(done).contains("[########################] 100%", "5/5 files", "2.0 KiB/2.0 KiB", "ETA --:--");
    }
}
