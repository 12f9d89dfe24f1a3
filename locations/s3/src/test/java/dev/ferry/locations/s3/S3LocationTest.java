package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationContractTest;
import dev.ferry.locations.ObjectStoreListing;
import dev.ferry.locations.StoreVersion;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(S3ServersExtension.class)
class S3LocationTest extends LocationContractTest {
    private static S3ProxyServer server;
    private String bucket;

    @BeforeAll
    static void server(S3ProxyServer shared) {
        server = shared;
    }

    static Map<String, Object> settings(S3ProxyServer server, String bucket, String prefix) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("endpoint", server.endpoint().toString());
        raw.put("bucket", bucket);
        raw.put("prefix", prefix);
        raw.put("accessKey", S3ProxyServer.ACCESS_KEY);
        raw.put("secretKey", S3ProxyServer.SECRET_KEY);
        raw.put("partSize", 5L << 20);
        return raw;
    }

    @Override
    protected Location newEmptyLocation() {
        bucket = server.createBucket();
        return new S3LocationDriver().open(settings(server, bucket, "base/dir"));
    }

    @Test
    void metadataIsReadableByAnyS3Client() {
        Instant mtime = Instant.parse("2021-03-04T05:06:07.123456789Z");
        location.put("f", 3, FileMetadata.of(mtime, mtime, 0644, 1000, 1000), new ByteArrayInputStream(new byte[3]));
        try (S3Client client = server.client()) {
            Map<String, String> user = client.headObject(b -> b.bucket(bucket).key("base/dir/f")).metadata();
            assertThat(user).containsEntry("file-mtime", "1614834367123456789ns").containsEntry("file-permissions", "0644")
                    .containsEntry("file-owner", "1000");
        }
    }

    /** Header values are ASCII: names and link targets in other scripts travel encoded and come back whole. */
    @Test
    void metadataBeyondAsciiRoundTrips() {
        FileMetadata names = FileMetadata.NONE.withOwnerNames(java.util.Optional.of("jürgen"), java.util.Optional.of("开发"));
        location.put("f", 1, names, new ByteArrayInputStream(new byte[1]));
        location.put("l", 0, FileMetadata.NONE.withLinkTarget(java.util.Optional.of("../目录/ naïve ")), InputStream.nullInputStream());
        assertThat(location.stat("f").orElseThrow().metadata().owner()).contains("jürgen");
        assertThat(location.stat("f").orElseThrow().metadata().group()).contains("开发");
        assertThat(location.stat("l").orElseThrow().metadata().linkTarget()).contains("../目录/ naïve ");
    }

    @Test
    void directoriesThatExistOnlyAsKeyPrefixesAreListed() {
        try (S3Client client = server.client()) {
            client.putObject(b -> b.bucket(bucket).key("base/dir/x/y/z"), RequestBody.fromString("z"));
            client.putObject(b -> b.bucket(bucket).key("base/dir/x-1"), RequestBody.fromString("1"));
        }
        try (Stream<Entry> entries = location.list()) {
            assertThat(entries.map(Entry::key)).containsExactly("x-1", "x/", "x/y/", "x/y/z");
        }
        assertThat(location.stat("x/y/")).isPresent();
    }

    /**
     * The walk, directory by directory with requests ahead, must list exactly what one flat
     * listing of the prefix lists, in the same order, across page boundaries (two names a page
     * here), with markers, directories that are only prefixes, and names that sort on either side
     * of a directory's prefix ("a-" before "a/", "a0" after), and names the listing carries URL-encoded.
     */
    @Test
    void theWalkListsWhatOneFlatListingListsPageByPageAndSkipsWhatTheScopeRulesOut() {
        List<String> keys = List.of("", "a/", "a/1", "a/b/c", "a/b/d", "a-", "a0", "e", "f/g/h", "f/g/i", "f/j", "k/", "l/m/n/o/p",
                "q/r", "q/s/", "q/t", "p+q r%41/ü");
        try (S3Client client = server.client()) {
            for (String key : keys) {
                client.putObject(b -> b.bucket(bucket).key("base/dir/" + key), RequestBody.fromString(key));
            }
            client.putObject(b -> b.bucket(bucket).key("base/dirt"), RequestBody.fromString("outside the prefix"));
            List<Entry> flat = new ArrayList<>();
            client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("base/dir/")).contents().forEach(o -> {
                String key = o.key().substring("base/dir/".length());
                flat.add(Keys.isDirectory(key) || key.isEmpty() ? new Entry(key, EntryType.DIRECTORY, 0, FileMetadata.NONE)
                        : new Entry(key, EntryType.FILE, o.size(), FileMetadata.NONE, java.util.Optional.empty(),
                                java.util.Optional.of(dev.ferry.locations.StoreVersion.listed(o.eTag(), o.lastModified()))));
            });
            List<Entry> expected;
            try (Stream<Entry> oneListing = ObjectStoreListing.of(flat.iterator())) {
                expected = oneListing.toList();
            }
            S3TreeWalk.Lister lister = lister(bucket);
            try (Stream<Entry> walked = S3TreeWalk.stream(lister, "base/dir/", ListingScope.EVERYTHING, 2)) {
                assertThat(walked.toList()).containsExactlyElementsOf(expected);
            }
            assertThat(expected).extracting(Entry::key).contains("a-", "f/g/", "l/m/n/o/", "q/s/");
            try (Stream<Entry> pruned = S3TreeWalk.stream(lister, "base/dir/", dir -> !dir.startsWith("f/") && !dir.equals("l/m/"), 2)) {
                assertThat(pruned.map(Entry::key).toList()).containsExactlyElementsOf(expected.stream().map(Entry::key)
                        .filter(k -> !k.startsWith("f/") || k.equals("f/")).filter(k -> !k.startsWith("l/m/") || k.equals("l/m/")).toList());
            }
        }
    }

    /**
     * Writes carry their CRC32C, which the store checks and keeps: one request's, and a multipart
     * upload's composite of its parts' (two 5 MiB parts here), as any S3 client reads them back.
     */
    @Test
    void writesCarryTheirCrc32cAndTheStoreKeepsIt() throws java.io.IOException {
        byte[] small = new byte[70_000];
        byte[] large = new byte[(5 << 20) + 1000];
        new java.util.Random(8).nextBytes(small);
        new java.util.Random(9).nextBytes(large);
        assertThat(location.storeChecksum(small.length)).contains(dev.ferry.locations.ChecksumAlgorithm.CRC32C);
        assertThat(location.storeChecksum(large.length)).contains(dev.ferry.locations.ChecksumAlgorithm.crc32cOfParts(5 << 20));
        try (S3Client client = server.client()) {
            for (byte[] data : new byte[][] {small, large}) {
                String key = "crc-" + data.length;
                dev.ferry.locations.ContentChecksum expected = dev.ferry.locations.ContentDigest.of(
                        location.storeChecksum(data.length).orElseThrow(), new ByteArrayInputStream(data));
                assertThat(location.put(key, data.length, FileMetadata.NONE, new ByteArrayInputStream(data)).checksum()).contains(expected);
                String kept = client.headObject(b -> b.bucket(bucket).key("base/dir/" + key)
                        .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumCRC32C();
                assertThat(dev.ferry.locations.ContentChecksum.fromS3Crc32c(kept, data.length, 5 << 20)).contains(expected);
                assertThat(location.stat(key).orElseThrow().checksum()).contains(expected);
            }
        }
        assertThat(location.storeChecksum(small.length)).as("still trusted after the writes").contains(dev.ferry.locations.ChecksumAlgorithm.CRC32C);
    }

    /**
     * A body whole in an array with room before it (a file received in one chunk) goes from that
     * array, with the CRC32C it came with: the store refuses a wrong one, so it is the one sent.
     * The array's body is left as it was.
     */
    @Test
    void aWholeBodyGoesFromItsOwnArrayWithTheCrc32cItCameWith() throws java.io.IOException {
        byte[] data = bytes(70_000, 31);
        int room = 4096; // What the data channel leaves before a received chunk.
        byte[] array = new byte[room + data.length + 10];
        System.arraycopy(data, 0, array, room, data.length);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data);
        int value = (int) crc.getValue();

        dev.ferry.locations.Stored stored = location.put("whole", data.length, FileMetadata.NONE,
                new dev.ferry.locations.ArrayContent(array, room, data.length, java.util.OptionalInt.of(value)));
        assertThat(read("whole")).isEqualTo(data);
        assertThat(stored.checksum()).contains(dev.ferry.locations.ContentDigest.of(dev.ferry.locations.ChecksumAlgorithm.CRC32C,
                new ByteArrayInputStream(data)));
        assertThat(java.util.Arrays.copyOfRange(array, room, room + data.length)).isEqualTo(data);

        assertThatThrownBy(() -> location.put("lying", data.length, FileMetadata.NONE,
                new dev.ferry.locations.ArrayContent(array, room, data.length, java.util.OptionalInt.of(value ^ 1))))
                .isInstanceOf(dev.ferry.locations.LocationException.class);
        assertThat(location.stat("lying")).isEmpty();
    }

    /**
     * The version a write made covers the one stats and listings show of it, a multipart upload's
     * too, so a record of the write can stand for the object; another ETag is another version.
     */
    @Test
    void aWritesVersionCoversWhatStatsAndListingsShowOfIt() {
        for (byte[] data : new byte[][] {bytes(70_000, 9), bytes((int) multipartSize(), 10)}) {
            String key = "version-" + data.length;
            StoreVersion written = location.put(key, data.length, FileMetadata.NONE, new ByteArrayInputStream(data)).version().orElseThrow();
            StoreVersion statted = location.stat(key).orElseThrow().version().orElseThrow();
            assertThat(written.covers(statted)).as("stat of %s", key).isTrue();
            StoreVersion listed;
            try (Stream<Entry> entries = location.list()) {
                listed = entries.filter(e -> e.key().equals(key)).findFirst().orElseThrow().version().orElseThrow();
            }
            assertThat(written.covers(listed)).as("listing of %s", key).isTrue();
            assertThat(written.covers(StoreVersion.listed("0" + written.etag(), listed.earliest()))).isFalse();
        }
    }

    @Test
    void aListingOfABucketThatIsGoneFailsWithTheStoresReason() {
        assertThatThrownBy(() -> S3TreeWalk.stream(lister("no-such-bucket-here"), "", ListingScope.EVERYTHING, 2))
                .isInstanceOfSatisfying(dev.ferry.locations.LocationException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_FOUND");
                    assertThat(e.getMessage()).contains("NoSuchBucket");
                });
    }

    /** Pages of {@code bucket} on the test server, as an S3 location lists them. */
    private static S3TreeWalk.Lister lister(String bucket) {
        java.net.URI url = java.net.URI.create(server.endpoint() + "/" + bucket);
        S3Http http = new S3Http(S3ConnectionPools.forStore(url, java.util.Optional.empty()).pool(), false,
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)),
                "us-east-1", url);
        return (prefix, continuation, pageSize) -> http.list(prefix, "/", pageSize, continuation);
    }

    @Test
    void aStoreWithoutTaggingDeclaresNoTagsAndRefusesTagsInsteadOfDroppingThem() {
        assertThat(location.capabilities()).doesNotContain(dev.ferry.locations.Capability.OBJECT_TAGS);
        FileMetadata tagged = FileMetadata.NONE.withObjectTags(java.util.Optional.of(Map.of("k", "v")));
        assertThatThrownBy(() -> location.put("f", 1, tagged, new ByteArrayInputStream(new byte[1])))
                .isInstanceOfSatisfying(dev.ferry.locations.LocationException.class,
                        e -> assertThat(e.code()).isEqualTo("OBJECT_TAGS_NOT_SUPPORTED"));
        assertThat(location.stat("f")).as("nothing written").isEmpty();
        location.put("g", 1, FileMetadata.NONE.withObjectTags(java.util.Optional.of(Map.of())), new ByteArrayInputStream(new byte[1]));
        assertThat(location.stat("g")).as("no tags is no trouble").isPresent();
    }

    @Test
    void settingsErrorsNameTheField() {
        S3LocationDriver driver = new S3LocationDriver();
        assertThatThrownBy(() -> driver.parse(Map.of())).hasMessageContaining("settings.bucket");
        assertThatThrownBy(() -> driver.parse(Map.of("bucket", "Bad_Bucket"))).hasMessageContaining("settings.bucket");
        assertThatThrownBy(() -> driver.parse(Map.of("bucket", "ok-bucket", "accessKey", "a")))
                .hasMessageContaining("settings.secretKey");
        assertThatThrownBy(() -> driver.parse(Map.of("bucket", "ok-bucket", "endpoint", "ftp://x")))
                .hasMessageContaining("settings.endpoint");
        assertThatThrownBy(() -> driver.parse(Map.of("bucket", "ok-bucket", "partSize", 1)))
                .hasMessageContaining("settings.partSize");
        assertThat(driver.parse(Map.of("bucket", "ok-bucket", "accessKey", "a", "secretKey", "hidden")).toString())
                .doesNotContain("hidden");
    }
}
