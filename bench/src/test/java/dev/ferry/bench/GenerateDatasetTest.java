package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateDatasetTest {
    @TempDir
    Path temp;

    @Test
    void eachDatasetSaysWhatItMade() {
        assertThat(GenerateDataset.run(new String[] {"large", temp.toString(), "2", "1000", "1"}))
                .isEqualTo("{\"files\":2,\"bytes\":2000}");
        assertThat(GenerateDataset.run(new String[] {"small", temp.resolve("s").toString(), "400", "1"})).startsWith("{\"files\":400,");
        assertThat(GenerateDataset.run(new String[] {"mutate", temp.resolve("s").toString(), "400", "1"}))
                .matches("\\{\"modifiedSameSize\":\\d+,\"modifiedResized\":\\d+,\"added\":2,\"deleted\":\\d+}");
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> GenerateDataset.run(new String[] {"medium", "x", "1", "1"})).hasMessageContaining("small, large, mutate or entries");
        assertThatThrownBy(() -> GenerateDataset.run(new String[] {"small", "x", "1"})).hasMessageContaining("takes 3 arguments");
        assertThatThrownBy(() -> GenerateDataset.run(new String[] {"small", "x", "0", "1"})).hasMessageContaining("at least 1");
    }
}
