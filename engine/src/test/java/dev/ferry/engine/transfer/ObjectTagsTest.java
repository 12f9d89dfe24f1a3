package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.testing.ForwardingLocation;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3MockServer;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * ObjectTags between two buckets of a store that keeps tags (S3Mock), and from a file system.
 * Tags written with a new object use only characters that need no URL encoding: S3Mock keeps the
 * tagging header undecoded (S3 decodes it), and verification would rightly fail those.
 */
@ExtendWith(S3ServersExtension.class)
class ObjectTagsTest {
    private static S3MockServer server;

    @TempDir
    Path temp;
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();
    private String from;
    private String to;

    @BeforeAll
    static void server(S3MockServer shared) {
        server = shared;
    }

    @BeforeEach
    void buckets() {
        from = server.createBucket();
        to = server.createBucket();
        try (S3Client client = server.client()) {
            put(client, "a.txt", "alpha", Map.of("project", "ferry", "cost_centre", "42-ops.eu"));
            put(client, "dir/b.txt", "bravo", Map.of("k", "v"));
            put(client, "c.txt", "charlie", Map.of());
        }
    }

    private void put(S3Client client, String key, String content, Map<String, String> tags) {
        client.putObject(b -> b.bucket(from).key(key), RequestBody.fromString(content));
        if (!tags.isEmpty()) {
            client.putObjectTagging(b -> b.bucket(from).key(key).tagging(tagging(tags)));
        }
    }

    private static Tagging tagging(Map<String, String> tags) {
        return Tagging.builder().tagSet(tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build();
    }

    private static Map<String, String> tagsOf(String bucket, String key) {
        try (S3Client client = server.client()) {
            return client.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
                    .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
        }
    }

    private Location bucket(String name) {
        return new S3LocationDriver().open(server.locationSettings(name, ""));
    }

    private TransferResult run(Location source, Location destination, Map<String, Object> options) {
        failures.clear();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        return new Transfer("execution=exec-tags", source, destination, TaskOptions.parse(options, TaskOptions.DEFAULTS), 4,
                () -> 0, listener).run();
    }

    @Test
    void preserveCopiesTagsWithTheObjectAndATagChangeAloneIsAMetadataUpdate() {
        try (Location source = bucket(from); Location destination = bucket(to)) {
            TransferResult first = run(source, destination, Map.of());
            assertThat(failures).isEmpty();
            assertThat(first.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(first.counters()).containsEntry("FilesTransferred", 3L).containsEntry("FilesVerified", 3L);
            assertThat(tagsOf(to, "a.txt")).isEqualTo(Map.of("project", "ferry", "cost_centre", "42-ops.eu"));
            assertThat(tagsOf(to, "dir/b.txt")).isEqualTo(Map.of("k", "v"));
            assertThat(tagsOf(to, "c.txt")).isEmpty();

            assertThat(run(source, destination, Map.of()).counters()).as("nothing changed")
                    .containsEntry("FilesSkipped", 3L).containsEntry("FilesTransferred", 0L);

            try (S3Client client = server.client()) {
                client.putObjectTagging(b -> b.bucket(from).key("c.txt").tagging(tagging(Map.of("new", "tag"))));
                client.deleteObjectTagging(b -> b.bucket(from).key("dir/b.txt"));
            }
            TransferResult retagged = run(source, destination, Map.of());
            assertThat(failures).isEmpty();
            assertThat(retagged.counters()).as("tags alone changed: no content is sent")
                    .containsEntry("FilesTransferred", 2L).containsEntry("BytesTransferred", 0L).containsEntry("FilesSkipped", 1L);
            assertThat(tagsOf(to, "c.txt")).isEqualTo(Map.of("new", "tag"));
            assertThat(tagsOf(to, "dir/b.txt")).isEmpty();

            try (S3Client client = server.client()) {
                client.putObjectTagging(b -> b.bucket(from).key("a.txt").tagging(tagging(Map.of("changed", "at source"))));
            }
            TransferResult none = run(source, destination, Map.of("ObjectTags", "NONE"));
            assertThat(failures).isEmpty();
            assertThat(none.counters()).as("NONE neither compares nor copies tags").containsEntry("FilesSkipped", 3L);
            assertThat(tagsOf(to, "a.txt")).isEqualTo(Map.of("project", "ferry", "cost_centre", "42-ops.eu"));
        }
    }

    @Test
    void noneLeavesNewObjectsUntagged() {
        try (Location source = bucket(from); Location destination = bucket(to)) {
            assertThat(run(source, destination, Map.of("ObjectTags", "NONE")).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(tagsOf(to, "a.txt")).isEmpty();
        }
    }

    @Test
    void bothVerifyModesCatchADestinationThatLosesTags() {
        for (String mode : List.of("ONLY_FILES_TRANSFERRED", "POINT_IN_TIME_CONSISTENT")) {
            String fresh = server.createBucket();
            try (Location source = bucket(from); Location lossy = new ForwardingLocation(bucket(fresh)) {
                @Override
                public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata,
                        InputStream content) {
                    // A store that acknowledges the tags of one object without keeping them.
                    return inner.put(key, size, key.equals("a.txt") ? metadata.withObjectTags(Optional.empty()) : metadata, content);
                }
            }) {
                TransferResult result = run(source, lossy, Map.of("VerifyMode", mode));
                assertThat(result.outcome()).as(mode).isEqualTo(TransferResult.Outcome.ERROR);
                assertThat(failures).as(mode).extracting(FileFailure::key, FileFailure::phase, FileFailure::code)
                        .containsExactly(Tuple.tuple("a.txt", "VERIFY", "OBJECT_TAGS_MISMATCH"));
                assertThat(failures.get(0).message()).contains("project=ferry");
                assertThat(result.counters()).as(mode).containsEntry("FilesFailedVerify", 1L).containsEntry("FilesVerified", 2L);
            }
        }
    }

    @Test
    void fromAFileSystemNoTagsAreAskedForAndNoneWritten() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("f.txt"), "file");
        try (Location destination = bucket(to)) {
            TransferResult result = run(new PosixLocation(src), destination, Map.of());
            assertThat(failures).isEmpty();
            assertThat(result.counters()).containsEntry("FilesTransferred", 1L);
            assertThat(tagsOf(to, "f.txt")).isEmpty();
        }
    }
}
