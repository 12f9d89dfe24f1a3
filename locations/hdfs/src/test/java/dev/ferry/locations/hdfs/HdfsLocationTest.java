package dev.ferry.locations.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.hdfs.testing.MiniHdfs;
import dev.ferry.locations.hdfs.testing.MiniHdfsExtension;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MiniHdfsExtension.class)
class HdfsLocationTest extends LocationContractTest {
    private static MiniHdfs hdfs;
    private String directory;

    @BeforeAll
    static void cluster(MiniHdfs shared) {
        hdfs = shared;
    }

    @Override
    protected Location newEmptyLocation() {
        Map<String, Object> settings = hdfs.locationSettings("contract");
        directory = (String) settings.get("subdirectory");
        return new HdfsLocationDriver().open(settings);
    }

    @Test
    void metadataLandsInHdfsAsAnyHdfsClientSeesIt() throws Exception {
        Instant mtime = Instant.parse("2018-03-04T05:06:07.891234567Z");
        FileMetadata md = new FileMetadata(Optional.of(mtime), Optional.of(mtime), java.util.OptionalInt.of(0640),
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), Optional.of("alice"), Optional.of("staff"));
        location.put("d/f.txt", 5, md, new ByteArrayInputStream("hello".getBytes()));
        FileStatus status = hdfs.fileSystem().getFileStatus(new Path(directory + "/d/f.txt"));
        assertThat(status.getModificationTime()).isEqualTo(mtime.toEpochMilli());
        assertThat(status.getPermission().toShort()).isEqualTo((short) 0640);
        assertThat(status.getOwner()).isEqualTo("alice");
        assertThat(status.getGroup()).isEqualTo("staff");
        assertThat(status.getReplication()).isEqualTo((short) 1);
        assertThat(status.getBlockSize()).isEqualTo(4L << 20);
        FileMetadata back = location.stat("d/f.txt").orElseThrow().metadata();
        assertThat(back.mtime()).contains(Instant.ofEpochMilli(mtime.toEpochMilli()));
        assertThat(back.owner()).contains("alice");
        assertThat(location.timeGranularity()).hasMillis(1);
        assertThatThrownBy(() -> location.put("a:b", 1, FileMetadata.NONE, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void settingsErrorsNameTheField() {
        HdfsLocationDriver driver = new HdfsLocationDriver();
        Map<String, Object> base = new HashMap<>(Map.of("nameNodes", List.of(Map.of("hostname", "nn", "port", 8020)),
                "simpleUser", "hdfs"));
        assertThat(driver.parse(base).directory()).isEqualTo("/");
        assertThat(driver.parse(base).blockSize()).isEqualTo(128L << 20);
        assertThat(driver.parse(base).replication()).isEqualTo(3);
        assertThatThrownBy(() -> driver.parse(Map.of("simpleUser", "u"))).hasMessageContaining("settings.nameNodes");
        assertThatThrownBy(() -> driver.parse(with(base, "nameNodes", List.of(Map.of("hostname", "nn", "port", 0)))))
                .hasMessageContaining("settings.nameNodes[0].port");
        assertThatThrownBy(() -> driver.parse(with(base, "nameNodes", List.of(Map.of("host", "nn")))))
                .hasMessageContaining("settings.nameNodes[0].host");
        assertThatThrownBy(() -> driver.parse(with(base, "blockSize", 1000))).hasMessageContaining("settings.blockSize");
        assertThatThrownBy(() -> driver.parse(with(base, "replicationFactor", 0))).hasMessageContaining("settings.replicationFactor");
        assertThatThrownBy(() -> driver.parse(with(base, "rpcProtection", "SECRET"))).hasMessageContaining("settings.rpcProtection");
        assertThatThrownBy(() -> driver.parse(with(base, "authenticationType", "KERBEROZ")))
                .hasMessageContaining("settings.authenticationType");
        assertThatThrownBy(() -> driver.parse(with(base, "authenticationType", "KERBEROS")))
                .as("SIMPLE's user with KERBEROS").hasMessageContaining("settings.simpleUser");
        assertThatThrownBy(() -> driver.parse(with(base, "kerberosPrincipal", "u@R")))
                .as("a Kerberos setting with SIMPLE").hasMessageContaining("settings.kerberosPrincipal");
        assertThatThrownBy(() -> driver.parse(with(base, "subdirectory", "/a/../b"))).hasMessageContaining("settings.subdirectory");
        HdfsSettings ha = driver.parse(with(base, "nameNodes", List.of(Map.of("hostname", "nn1", "port", 8020),
                Map.of("hostname", "nn2", "port", 8020))));
        assertThat(HdfsLocation.configuration(ha).get("dfs.ha.namenodes.ferry")).isEqualTo("nn0,nn1");
        assertThat(HdfsLocation.configuration(ha).get("fs.defaultFS")).isEqualTo("hdfs://ferry");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
