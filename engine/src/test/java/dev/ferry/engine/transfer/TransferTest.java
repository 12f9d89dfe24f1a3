package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.testing.ForwardingLocation;
import dev.ferry.engine.testing.Trees;
import dev.ferry.engine.wire.LoopbackDataChannel;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.Location;
import dev.ferry.locations.posix.PosixLocation;
import dev.ferry.locations.s3.S3LocationDriver;
import dev.ferry.locations.s3.testing.S3ServersExtension;
import dev.ferry.locations.s3.testing.S3ProxyServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(S3ServersExtension.class)
class TransferTest {
    @TempDir
    Path temp;

    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();
    private final List<Phase> phases = new CopyOnWriteArrayList<>();

    private TransferResult run(Location source, Location destination, TaskOptions options) {
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void phaseStarted(Phase phase) {
                phases.add(phase);
            }

            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        return new Transfer("execution=exec-test", source, destination, options, 8, () -> 0, listener).run();
    }

    private Path source() {
        Path src = temp.resolve("src");
        Trees.generate(src, 0);
        return src;
    }

    @Test
    void aTreeArrivesWholeWithTimesAndModesAndARerunSkipsEverything() throws IOException {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        TransferResult first = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(failures).isEmpty();
        assertThat(first.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        Trees.assertSameTree(src, dst);
        long files;
        try (var walk = Files.walk(src)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        assertThat(first.counters()).containsEntry("FilesTransferred", files).containsEntry("FilesVerified", files)
                .containsEntry("FilesSkipped", 0L);
        assertThat(phases).containsSubsequence(Phase.PREPARING, Phase.TRANSFERRING);
        assertThat(first.phaseStatuses()).containsEntry("PrepareStatus", "SUCCESS").containsEntry("TransferStatus", "SUCCESS")
                .containsEntry("VerifyStatus", "SUCCESS");
        assertThat(first.counters().get("FoldersPrepared")).isEqualTo(first.counters().get("FoldersListedAtSource")).isPositive();
        assertThat(first.counters().get("FoldersVerified")).isEqualTo(first.counters().get("FoldersListedAtSource"));
        assertThat(first.counters().get("EstimatedFoldersToTransfer")).isEqualTo(first.counters().get("FoldersTransferred"));

        TransferResult second = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(second.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(second.counters()).containsEntry("FilesTransferred", 0L).containsEntry("FilesSkipped", files);
        Trees.assertSameTree(src, dst);
    }

    @Test
    void changedSizeOrMtimeIsSentAgainAndModeAloneIsAMetadataUpdate() throws IOException {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        Files.writeString(src.resolve("a-b/x"), "longer now");
        Path touched = src.resolve("a/b/small-3.bin");
        Files.setLastModifiedTime(touched, FileTime.from(Instant.parse("2024-01-01T00:00:00.5Z")));
        Files.setAttribute(src.resolve("a/b/small-4.bin"), "unix:mode", 0604);
        for (String dir : List.of("a-b", "a/b")) {
            Files.setLastModifiedTime(src.resolve(dir), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }
        TransferResult result = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(result.counters()).containsEntry("FilesTransferred", 3L).containsEntry("BytesTransferred",
                10L + Files.size(touched));
        Trees.assertSameTree(src, dst);
    }

    @Test
    void removeMirrorsDeletedFilesAndWholeDirectoriesWhilePreserveKeepsThem(S3ProxyServer s3) throws IOException {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket, "prefix", "mirror",
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY);
        try (Location s3Location = new S3LocationDriver().open(settings)) {
            run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
            run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            Files.delete(src.resolve("zero"));
            Files.delete(src.resolve("a-b/x"));
            try (var walk = Files.walk(src.resolve("deep"))) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Files.setLastModifiedTime(src.resolve("a-b"), FileTime.from(Instant.parse("2020-02-02T00:00:00Z")));

            TransferResult kept = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
            assertThat(kept.counters()).containsEntry("FilesDeleted", 0L);
            assertThat(dst.resolve("deep/1/2/3/4/5/leaf")).exists();

            TaskOptions remove = TaskOptions.parse(Map.of("PreserveDeletedFiles", "REMOVE"), TaskOptions.DEFAULTS);
            TransferResult mirrored = run(new PosixLocation(src), new PosixLocation(dst), remove);
            assertThat(failures).isEmpty();
            assertThat(mirrored.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(mirrored.counters()).containsEntry("FilesDeleted", 3L).containsEntry("FoldersDeleted", 6L)
                    .containsEntry("FilesListedAtDestinationForDelete", 3L).containsEntry("FoldersListedAtDestinationForDelete", 6L);
            Trees.assertSameTree(src, dst);

            TransferResult onS3 = run(new PosixLocation(src), s3Location, remove);
            assertThat(onS3.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            try (S3Client client = s3.client()) {
                List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                        .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
                assertThat(keys).noneMatch(k -> k.startsWith("mirror/deep") || k.equals("mirror/zero") || k.equals("mirror/a-b/x"))
                        .contains("mirror/a-b/", "mirror/a/b/small-1.bin");
            }
        }
    }

    @Test
    void underRemoveANameThatChangedTypeIsReplacedInOneRunBothWays() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Path dst = Files.createDirectory(temp.resolve("dst"));
        // Names that sort between x and x/ keep the old and the new entry apart in the merge.
        for (String name : List.of("was-dir", "was-file", "sub/was-dir")) {
            Files.createDirectories(src.resolve(name).getParent());
            Files.writeString(src.resolve(name + "-1"), "between");
            Files.writeString(src.resolve(name + ".txt"), "between");
        }
        Files.createDirectories(src.resolve("was-dir/inner"));
        Files.writeString(src.resolve("was-dir/inner/f"), "old tree");
        Files.createDirectories(src.resolve("sub/was-dir"));
        Files.writeString(src.resolve("sub/was-dir/f"), "old tree");
        Files.writeString(src.resolve("was-file"), "old file");
        TaskOptions remove = TaskOptions.parse(Map.of("PreserveDeletedFiles", "REMOVE"), TaskOptions.DEFAULTS);
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(dst), 2)) {
            assertThat(run(new PosixLocation(src), channel.remote, remove).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);

            for (String tree : List.of("was-dir", "sub/was-dir")) {
                try (var walk = Files.walk(src.resolve(tree))) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                Files.writeString(src.resolve(tree), "now a file");
            }
            Files.delete(src.resolve("was-file"));
            Files.createDirectories(src.resolve("was-file/deeper"));
            Files.writeString(src.resolve("was-file/deeper/g"), "now a tree");
            Files.setLastModifiedTime(src.resolve("sub"), FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));

            TransferResult changed = run(new PosixLocation(src), channel.remote, remove);
            assertThat(failures).isEmpty();
            assertThat(changed.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(changed.counters()).containsEntry("FilesDeleted", 3L).containsEntry("FoldersDeleted", 3L)
                    .containsEntry("FilesFailedTransfer", 0L).containsEntry("FilesVerified", 9L);
        }
        Trees.assertSameTree(src, dst);
        assertThat(dst.resolve("was-dir")).hasContent("now a file");
        assertThat(dst.resolve("was-file/deeper/g")).hasContent("now a tree");
        assertThat(Files.getLastModifiedTime(dst.resolve("sub"))).as("the directory's time, put back after the late write")
                .isEqualTo(FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
    }

    @Test
    void filtersChooseWhatMovesEvenThroughAnAgentAndExcludedFilesSurviveRemove() throws Exception {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        Files.writeString(dst.resolve("keep.tmp"), "excluded at the destination: never deleted");
        FilterRules filters = FilterRules.parse("/a|/with space", "*.log|/a/b/small-1*");
        TaskOptions remove = TaskOptions.parse(Map.of("PreserveDeletedFiles", "REMOVE"), TaskOptions.DEFAULTS);
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(src), 2)) {
            TransferResult result = new Transfer("execution=exec-filters", channel.remote, new PosixLocation(dst), remove,
                    FilterRules.parse("/a|/with space|/keep.tmp", "*.log|/a/b/small-1*|keep.tmp"), 8, () -> 0,
                    new ExecutionListener() { }).run();
            assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        }
        List<String> arrived;
        try (var walk = Files.walk(dst)) {
            arrived = walk.filter(Files::isRegularFile).map(p -> dst.relativize(p).toString()).sorted().toList();
        }
        assertThat(arrived).contains("a/random-3m.bin", "a/b/small-0.bin", "a/b/small-2.bin", "with space/file with space.txt",
                "a/b/c/zero too", "keep.tmp");
        assertThat(arrived).noneMatch(k -> k.startsWith("a/b/small-1") || k.endsWith(".log") || k.startsWith("deep")
                || k.equals("zero") || k.startsWith("ünïcødé"));
        assertThat(filters.includes("a/compressible.log")).isFalse();
    }

    @Test
    void aPosixWalkNeverEntersADirectoryTheScopeRulesOut() throws IOException {
        Path src = source();
        try (var entries = new PosixLocation(src).list(FilterRules.parse("/a/b", ""))) {
            List<String> keys = entries.map(dev.ferry.locations.Entry::key).toList();
            assertThat(keys).contains("a/", "a/b/", "a/b/small-0.bin", "deep/").noneMatch(k -> k.startsWith("deep/1"));
        }
    }

    @Test
    void overwriteNeverLeavesExistingDestinationFilesAloneAndStillAddsNewOnes() throws IOException {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("existing.txt"), "new content from the source");
        Files.writeString(src.resolve("fresh.txt"), "only at the source");
        Path dst = Files.createDirectory(temp.resolve("dst"));
        Files.writeString(dst.resolve("existing.txt"), "the destination's own");
        FileTime before = Files.getLastModifiedTime(dst.resolve("existing.txt"));
        TaskOptions never = TaskOptions.parse(Map.of("OverwriteMode", "NEVER", "VerifyMode", "ONLY_FILES_TRANSFERRED"),
                TaskOptions.DEFAULTS);
        TransferResult result = run(new PosixLocation(src), new PosixLocation(dst), never);
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(dst.resolve("existing.txt")).hasContent("the destination's own");
        assertThat(Files.getLastModifiedTime(dst.resolve("existing.txt"))).isEqualTo(before);
        assertThat(dst.resolve("fresh.txt")).hasContent("only at the source");
        assertThat(result.counters()).containsEntry("FilesTransferred", 1L).containsEntry("FilesSkipped", 1L);
    }

    @Test
    void transferModeAllSendsEverythingWithoutListingTheDestination() {
        Path src = source();
        Path dst = temp.resolve("dst");
        run(new PosixLocation(src), new PosixLocation(dst.toFile().mkdirs() ? dst : dst), TaskOptions.DEFAULTS);
        TaskOptions all = TaskOptions.parse(Map.of("TransferMode", "ALL"), TaskOptions.DEFAULTS);
        TransferResult result = run(new PosixLocation(src), new PosixLocation(dst), all);
        assertThat(result.counters().get("FilesSkipped")).isZero();
        assertThat(result.counters().get("FilesTransferred")).isEqualTo(result.counters().get("FilesListedAtSource"));
    }

    @Test
    void throughS3AndBackEveryByteAndTimeAndModeReturns(S3ProxyServer s3) throws IOException {
        Path src = source();
        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket, "prefix", "p",
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY, "partSize", 5L << 20);
        try (Location s3Location = new S3LocationDriver().open(settings)) {
            TransferResult up = run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(up.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            try (S3Client client = s3.client()) {
                byte[] object = client.getObjectAsBytes(b -> b.bucket(bucket).key("p/ünïcødé 目录/naïve 文件.csv")).asByteArray();
                assertThat(object).isEqualTo(Files.readAllBytes(src.resolve("ünïcødé 目录/naïve 文件.csv")));
                assertThat(client.headObject(b -> b.bucket(bucket).key("p/a-b/x")).metadata()).containsKey("file-mtime");
            }
            TransferResult again = run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            assertThat(again.counters().get("FilesTransferred")).isZero();

            Path back = Files.createDirectory(temp.resolve("back"));
            TransferResult down = run(s3Location, new PosixLocation(back), TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(down.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            Trees.assertSameTree(src, back);
        }
    }

    @Test
    void aListingOfLongNamesIsPagedWithinTheFrameHeaderLimit() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        // 1,500 names of 200 bytes: 300 KB of listing, several pages of under 64 KiB each.
        for (int i = 0; i < 1500; i++) {
            Files.createFile(src.resolve(String.format("%04d-", i) + "n".repeat(195)));
        }
        Files.createSymbolicLink(src.resolve("link-" + "t".repeat(200)), Path.of("x".repeat(4000)));
        Path dst = Files.createDirectory(temp.resolve("dst"));
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(src), 2)) {
            TransferResult result = new Transfer("execution=exec-pages", channel.remote, new PosixLocation(dst),
                    TaskOptions.parse(Map.of("VerifyMode", "NONE"), TaskOptions.DEFAULTS), 8, () -> 0,
                    new ExecutionListener() { }).run();
            assertThat(result.outcome()).as(result.errorDetail().orElse("")).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(result.counters()).containsEntry("FilesTransferred", 1501L);
        }
        assertThat(Files.readSymbolicLink(dst.resolve("link-" + "t".repeat(200)))).isEqualTo(Path.of("x".repeat(4000)));
    }

    @Test
    void aSourceServedByAnAgentOverTheDataChannelArrivesVerified() throws Exception {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(src), 3)) {
            TransferResult result = new Transfer("execution=exec-remote", channel.remote, new PosixLocation(dst), TaskOptions.DEFAULTS, 8,
                    channel.remote::wireBytesReceived, new ExecutionListener() { }).run();
            assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(result.counters().get("BytesCompressed")).isPositive().isLessThan(result.counters().get("BytesTransferred"));
        }
        Trees.assertSameTree(src, dst);
    }

    @Test
    void aDestinationThatCorruptsBytesFailsVerificationAndTheExecution() throws IOException {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        Location corrupting = new CorruptingLocation(new PosixLocation(dst), "a/random-3m.bin");
        TransferResult result = run(new PosixLocation(src), corrupting, TaskOptions.DEFAULTS);
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(result.errorCode()).hasValue("VERIFICATION_FAILED");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("a/random-3m.bin");
            assertThat(f.phase()).isEqualTo("VERIFY");
        });
        assertThat(result.counters()).containsEntry("FilesFailedVerify", 1L);
    }

    @Test
    void pointInTimeConsistentComparesEverythingAndCatchesWhatTheWriteHid() throws IOException {
        Path src = source();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        TransferResult clean = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(clean.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(clean.counters().get("FilesVerified")).isEqualTo(clean.counters().get("FilesListedAtSource"));
        assertThat(phases).containsSubsequence(Phase.PREPARING, Phase.TRANSFERRING, Phase.VERIFYING);

        // A destination that acknowledges one write without keeping it, and corrupts another.
        Path lossy = Files.createDirectory(temp.resolve("lossy"));
        Location faulty = new CorruptingLocation(new PosixLocation(lossy), "a/random-3m.bin") {
            @Override
            public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata,
                    InputStream content) {
                if (key.equals("a/compressible.log")) {
                    try {
                        content.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return dev.ferry.locations.Stored.NOTHING;
                }
                return super.put(key, size, metadata, content);
            }
        };
        failures.clear();
        TransferResult caught = run(new PosixLocation(src), faulty, TaskOptions.DEFAULTS);
        assertThat(caught.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(failures).extracting(FileFailure::key, FileFailure::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a/compressible.log", "MISSING_AT_DESTINATION"),
                org.assertj.core.groups.Tuple.tuple("a/random-3m.bin", "VERIFICATION_FAILED"));
        assertThat(caught.counters()).containsEntry("FilesFailedVerify", 2L);
    }

    /** Rewrites an object's owner metadata in place, as another tool or another site's IDs would have it. */
    private static void setOwners(S3Client client, String bucket, String key, String number, String name) {
        Map<String, String> user = new java.util.HashMap<>(client.headObject(b -> b.bucket(bucket).key(key)).metadata());
        user.put("file-owner", number);
        user.put("file-group", number);
        user.put("file-owner-name", name);
        user.put("file-group-name", name);
        client.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .metadata(user).metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE));
    }

    @Test
    void uidAndGidMapByNameWithNameAndBothAndByNumberWithIntValue(S3ProxyServer s3) throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Path file = Files.writeString(src.resolve("a.txt"), "owned by daemon");
        org.junit.jupiter.api.Assumptions.assumeTrue("0".equals(String.valueOf(Files.getAttribute(file, "unix:uid"))),
                "changing owners needs root");
        var lookup = file.getFileSystem().getUserPrincipalLookupService();
        Files.setAttribute(file, "posix:owner", lookup.lookupPrincipalByName("daemon"));
        Files.setAttribute(file, "posix:group", lookup.lookupPrincipalByGroupName("daemon"));
        int daemon = (Integer) Files.getAttribute(file, "unix:uid");
        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket,
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY);
        TaskOptions both = TaskOptions.parse(Map.of("Uid", "BOTH", "Gid", "BOTH"), TaskOptions.DEFAULTS);
        TaskOptions byName = TaskOptions.parse(Map.of("Uid", "NAME", "Gid", "NAME"), TaskOptions.DEFAULTS);
        try (Location s3Location = new S3LocationDriver().open(settings); S3Client client = s3.client()) {
            assertThat(run(new PosixLocation(src), s3Location, both).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            Map<String, String> stored = client.headObject(b -> b.bucket(bucket).key("a.txt")).metadata();
            assertThat(stored).containsEntry("file-owner", String.valueOf(daemon)).containsEntry("file-owner-name", "daemon")
                    .containsEntry("file-group-name", "daemon");

            // The same name under another number, as IDs differ between sites.
            setOwners(client, bucket, "a.txt", "4242", "daemon");
            Path named = Files.createDirectory(temp.resolve("named"));
            assertThat(run(s3Location, new PosixLocation(named), byName).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(Files.getAttribute(named.resolve("a.txt"), "unix:uid")).as("by name").isEqualTo(daemon);
            assertThat(Files.getAttribute(named.resolve("a.txt"), "unix:gid")).isEqualTo(daemon);
            Path numbered = Files.createDirectory(temp.resolve("numbered"));
            assertThat(run(s3Location, new PosixLocation(numbered), TaskOptions.DEFAULTS).outcome())
                    .isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(Files.getAttribute(numbered.resolve("a.txt"), "unix:uid")).as("INT_VALUE").isEqualTo(4242);

            // A name this host does not have: NAME fails the file, BOTH falls back to the number.
            setOwners(client, bucket, "a.txt", "4343", "no-such-user-ferry");
            Path refused = Files.createDirectory(temp.resolve("refused"));
            assertThat(run(s3Location, new PosixLocation(refused), byName).outcome()).isEqualTo(TransferResult.Outcome.ERROR);
            assertThat(failures).extracting(FileFailure::key, FileFailure::code)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a.txt", "UNKNOWN_OWNER"),
                            org.assertj.core.groups.Tuple.tuple("a.txt", "MISSING_AT_DESTINATION"));
            assertThat(refused.resolve("a.txt")).doesNotExist();
            failures.clear();
            Path fallback = Files.createDirectory(temp.resolve("fallback"));
            assertThat(run(s3Location, new PosixLocation(fallback), both).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(Files.getAttribute(fallback.resolve("a.txt"), "unix:uid")).as("BOTH").isEqualTo(4343);
        }
    }

    @Test
    void hostileNamesRoundTripThroughS3(S3ProxyServer s3) throws IOException {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("line\nbreak.txt"), "newline in the name");
        Files.writeString(src.resolve("caf\u00e9"), "NFC");
        Files.writeString(src.resolve("cafe\u0301"), "NFD");
        Files.writeString(src.resolve("  leading and trailing spaces  "), "spaces");
        Path deep = src;
        StringBuilder key = new StringBuilder();
        while (key.length() < 900) {
            deep = deep.resolve("d".repeat(60));
            key.append("d".repeat(60)).append('/');
        }
        Files.createDirectories(deep);
        // S3's longest key, and as long a path below the root on the way back.
        Files.writeString(deep.resolve("x".repeat(1024 - key.length())), "a 1024-byte key");
        String bucket = s3.createBucket();
        Map<String, Object> settings = s3.locationSettings(bucket, "");
        try (Location s3Location = new S3LocationDriver().open(settings)) {
            TransferResult up = run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(up.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            Path back = Files.createDirectory(temp.resolve("back"));
            TransferResult down = run(s3Location, new PosixLocation(back), TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(down.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(back.resolve("line\nbreak.txt")).hasContent("newline in the name");
            assertThat(back.resolve("caf\u00e9")).hasContent("NFC");
            assertThat(back.resolve("cafe\u0301")).hasContent("NFD");
            assertThat(back.resolve("  leading and trailing spaces  ")).hasContent("spaces");
            assertThat(back.resolve(src.relativize(deep)).resolve("x".repeat(1024 - key.length()))).hasContent("a 1024-byte key");
        }
    }

    @Test
    void aStoreListingOutOfCodePointOrderFailsTheRunInsteadOfMissingFiles(S3ProxyServer s3) throws IOException {
        String bucket = s3.createBucket();
        try (S3Client client = s3.client()) {
            // S3Proxy orders names by UTF-16 unit: the emoji comes first, where S3 would list it last.
            for (String key : List.of("\uFFFD", "\uD83D\uDE00", "z")) {
                client.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(key));
            }
        }
        Path dst = Files.createDirectory(temp.resolve("dst"));
        try (Location s3Location = new S3LocationDriver().open(s3.locationSettings(bucket, ""))) {
            TransferResult result = run(s3Location, new PosixLocation(dst), TaskOptions.DEFAULTS);
            assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
            assertThat(result.errorCode()).hasValue("LISTING_OUT_OF_ORDER");
        }
    }

    @Test
    void sourceKeysThatWouldEscapeTheRootFailAndWriteNothingOutsideIt() throws IOException {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("fine.txt"), "fine");
        Path dst = Files.createDirectory(temp.resolve("dst"));
        // Object stores accept such keys from other tools; the test server here cannot store them.
        Location hostile = new ForwardingLocation(new PosixLocation(src)) {
            @Override
            public java.util.stream.Stream<dev.ferry.locations.Entry> list(dev.ferry.locations.ListingScope scope) {
                return list();
            }

            @Override
            public java.util.stream.Stream<dev.ferry.locations.Entry> list() {
                List<dev.ferry.locations.Entry> all = new java.util.ArrayList<>(super.list().toList());
                for (String evil : List.of("../escaped.txt", "a/../../escaped2.txt", "b//double", "/etc/ferry-owned", "nul\0/../../x")) {
                    all.add(new dev.ferry.locations.Entry(evil, dev.ferry.locations.EntryType.FILE, 1, FileMetadata.NONE));
                }
                all.sort(java.util.Comparator.comparing(dev.ferry.locations.Entry::key, dev.ferry.locations.KeyOrder.COMPARATOR));
                return all.stream();
            }
        };
        TransferResult result = run(hostile, new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(failures).extracting(FileFailure::code).containsOnly("INVALID_PATH").hasSize(5);
        assertThat(temp.resolve("escaped.txt")).doesNotExist();
        assertThat(temp.resolve("x")).doesNotExist();
        assertThat(temp.resolve("escaped2.txt")).doesNotExist();
        assertThat(Path.of("/etc/ferry-owned")).doesNotExist();
        assertThat(dst.resolve("fine.txt")).hasContent("fine");
    }

    @Test
    void symbolicLinksStayLinksOnFileSystemsAndTravelAsMetadataThroughS3(S3ProxyServer s3) throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("real"), "r");
        Files.createDirectory(src.resolve("dir"));
        Files.createSymbolicLink(src.resolve("relative"), Path.of("real"));
        Files.createSymbolicLink(src.resolve("dir/up"), Path.of("../real"));
        Files.createSymbolicLink(src.resolve("outside"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("no/such/file"));
        Instant linkTime = Instant.parse("2020-01-02T03:04:05Z");
        Files.getFileAttributeView(src.resolve("relative"), java.nio.file.attribute.BasicFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(linkTime), null, null);

        Path dst = Files.createDirectory(temp.resolve("dst"));
        TransferResult direct = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(failures).isEmpty();
        assertThat(direct.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(direct.counters()).containsEntry("FilesTransferred", 5L).containsEntry("FilesVerified", 5L);
        assertLinks(dst);
        assertThat(Files.getLastModifiedTime(dst.resolve("relative"), java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(linkTime);
        assertThat(run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS).counters())
                .as("a rerun finds the links unchanged").containsEntry("FilesSkipped", 5L).containsEntry("FilesTransferred", 0L);

        // A link changed at the source is replaced, not followed.
        Files.delete(src.resolve("relative"));
        Files.createSymbolicLink(src.resolve("relative"), Path.of("dir"));
        TransferResult changed = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(changed.counters()).containsEntry("FilesTransferred", 1L);
        assertThat(Files.readSymbolicLink(dst.resolve("relative"))).isEqualTo(Path.of("dir"));

        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket,
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY);
        try (Location s3Location = new S3LocationDriver().open(settings); S3Client client = s3.client()) {
            TransferResult up = run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(up.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            var head = client.headObject(b -> b.bucket(bucket).key("outside"));
            assertThat(head.contentLength()).isZero();
            assertThat(head.metadata()).containsEntry("file-symlink-target", "/etc/passwd");

            Path back = Files.createDirectory(temp.resolve("back"));
            for (TaskOptions options : List.of(TaskOptions.DEFAULTS,
                    TaskOptions.parse(Map.of("VerifyMode", "ONLY_FILES_TRANSFERRED"), TaskOptions.DEFAULTS))) {
                TransferResult down = run(s3Location, new PosixLocation(back), options);
                assertThat(failures).isEmpty();
                assertThat(down.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            }
            assertThat(Files.readSymbolicLink(back.resolve("relative"))).isEqualTo(Path.of("dir"));
            assertThat(Files.readSymbolicLink(back.resolve("dir/up"))).isEqualTo(Path.of("../real"));
            assertThat(Files.readSymbolicLink(back.resolve("outside"))).isEqualTo(Path.of("/etc/passwd"));
            assertThat(Files.readSymbolicLink(back.resolve("dangling"))).isEqualTo(Path.of("no/such/file"));
        }
    }

    private static void assertLinks(Path dst) throws IOException {
        assertThat(dst.resolve("real")).hasContent("r");
        assertThat(Files.readSymbolicLink(dst.resolve("relative"))).isEqualTo(Path.of("real"));
        assertThat(Files.readSymbolicLink(dst.resolve("dir/up"))).isEqualTo(Path.of("../real"));
        assertThat(Files.readSymbolicLink(dst.resolve("outside"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.readSymbolicLink(dst.resolve("dangling"))).isEqualTo(Path.of("no/such/file"));
    }

    @Test
    void metadataOptionsSetToNoneLeaveTheDestinationsOwnValues() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Path file = Files.writeString(src.resolve("owned.txt"), "owned");
        Instant old = Instant.parse("2001-02-03T04:05:06.123456789Z");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        boolean root = "0".equals(String.valueOf(Files.getAttribute(file, "unix:uid")));
        if (root) {
            Files.setAttribute(file, "unix:uid", 4321);
            Files.setAttribute(file, "unix:gid", 8765);
        }
        Files.setLastModifiedTime(file, FileTime.from(old));

        Path kept = Files.createDirectory(temp.resolve("kept"));
        assertThat(run(new PosixLocation(src), new PosixLocation(kept), TaskOptions.DEFAULTS).outcome())
                .isEqualTo(TransferResult.Outcome.SUCCESS);
        Path keptFile = kept.resolve("owned.txt");
        assertThat(Files.getLastModifiedTime(keptFile).toInstant()).isEqualTo(old);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keptFile))).isEqualTo("rwx------");

        Path plain = Files.createDirectory(temp.resolve("plain"));
        Instant before = Instant.now().minusSeconds(5);
        TaskOptions none = TaskOptions.parse(Map.of("Mtime", "NONE", "Atime", "NONE", "PosixPermissions", "NONE",
                "Uid", "NONE", "Gid", "NONE"), TaskOptions.DEFAULTS);
        assertThat(run(new PosixLocation(src), new PosixLocation(plain), none).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        Path plainFile = plain.resolve("owned.txt");
        assertThat(plainFile).hasContent("owned");
        assertThat(Files.getLastModifiedTime(plainFile).toInstant()).as("the time it was written").isAfter(before);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(plainFile)))
                .as("the writer's default").isNotEqualTo("rwx------");
        if (root) {
            assertThat(Files.getAttribute(keptFile, "unix:uid")).isEqualTo(4321);
            assertThat(Files.getAttribute(keptFile, "unix:gid")).isEqualTo(8765);
            assertThat(Files.getAttribute(plainFile, "unix:uid")).as("the writer's own").isEqualTo(0);
            assertThat(Files.getAttribute(plainFile, "unix:gid")).isEqualTo(0);
        }
    }

    @Test
    void withPreserveDevicesNoneAFifoIsLeftOutAndCountedAsSkipped() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("real"), "r");
        Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Path dst = Files.createDirectory(temp.resolve("dst"));
        TransferResult result = run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS);
        assertThat(failures).isEmpty();
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(result.counters()).containsEntry("FilesSkipped", 1L).containsEntry("FilesTransferred", 1L)
                .containsEntry("FilesListedAtSource", 2L);
        assertThat(dst.resolve("pipe")).doesNotExist();
        assertThat(dst.resolve("real")).hasContent("r");
    }

    @Test
    void withPreserveDevicesPreserveFifosAndDevicesAreMadeAgainThroughAnAgentAndThroughS3(S3ProxyServer s3) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.writeString(src.resolve("real"), "r");
        Files.createDirectory(src.resolve("dev"));
        assertThat(new ProcessBuilder("mkfifo", "-m", "640", src.resolve("dev/pipe").toString()).start().waitFor()).isZero();
        if (root) {
            assertThat(new ProcessBuilder("mknod", "-m", "666", src.resolve("dev/zero").toString(), "c", "1", "5").start().waitFor())
                    .isZero();
        }
        Instant pipeTime = Instant.parse("2021-02-03T04:05:06.123456789Z");
        assertThat(new ProcessBuilder("touch", "-h", "-d", "@" + pipeTime.getEpochSecond() + ".123456789",
                src.resolve("dev/pipe").toString()).start().waitFor()).isZero();
        long nodes = root ? 2 : 1;
        TaskOptions preserve = TaskOptions.parse(Map.of("PreserveDevices", "PRESERVE"), TaskOptions.DEFAULTS);
        TaskOptions preserveOnlyTransferred = TaskOptions.parse(Map.of("PreserveDevices", "PRESERVE",
                "VerifyMode", "ONLY_FILES_TRANSFERRED"), TaskOptions.DEFAULTS);

        Path dst = Files.createDirectory(temp.resolve("dst"));
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(dst), 2)) {
            for (TaskOptions options : List.of(preserveOnlyTransferred, preserve)) {
                TransferResult result = run(new PosixLocation(src), channel.remote, options);
                assertThat(failures).isEmpty();
                assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
                assertThat(result.counters()).containsEntry("FilesVerified", options == preserve ? 1 + nodes : 1 + nodes);
            }
        }
        assertThat(run(new PosixLocation(src), new PosixLocation(dst), preserve).counters())
                .as("a rerun finds the nodes unchanged").containsEntry("FilesSkipped", 1 + nodes).containsEntry("FilesTransferred", 0L);
        assertThat(Files.getAttribute(dst.resolve("dev/pipe"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0010640);
        assertThat(Files.getLastModifiedTime(dst.resolve("dev/pipe"), java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(pipeTime);
        if (root) {
            assertThat(new PosixLocation(dst).stat("dev/zero").orElseThrow().metadata().device())
                    .contains(new dev.ferry.locations.DeviceNode(dev.ferry.locations.DeviceNode.Kind.CHARACTER, 1, 5));
        }

        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket,
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY);
        try (Location s3Location = new S3LocationDriver().open(settings); S3Client client = s3.client()) {
            assertThat(run(new PosixLocation(src), s3Location, preserve).outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(failures).isEmpty();
            assertThat(client.headObject(b -> b.bucket(bucket).key("dev/pipe")).metadata()).containsEntry("file-device", "p");

            Path none = Files.createDirectory(temp.resolve("none"));
            TransferResult left = run(s3Location, new PosixLocation(none), TaskOptions.parse(Map.of("VerifyMode",
                    "ONLY_FILES_TRANSFERRED"), TaskOptions.DEFAULTS));
            assertThat(failures).isEmpty();
            assertThat(left.counters()).as("PreserveDevices=NONE leaves them out").containsEntry("FilesSkipped", nodes);
            assertThat(none.resolve("dev/pipe")).doesNotExist();

            Path back = Files.createDirectory(temp.resolve("back"));
            for (TaskOptions options : List.of(preserveOnlyTransferred, preserve)) {
                TransferResult down = run(s3Location, new PosixLocation(back), options);
                assertThat(failures).isEmpty();
                assertThat(down.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            }
            assertThat(new PosixLocation(back).stat("dev/pipe").orElseThrow().metadata().device())
                    .contains(dev.ferry.locations.DeviceNode.fifo());
        }
    }

    @Test
    void hardLinkedNamesAreWrittenOnceAndLinkedThroughAnAgentAndCopiedPerNameToS3(S3ProxyServer s3) throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        Files.createDirectories(src.resolve("a"));
        Files.createDirectories(src.resolve("b"));
        Files.write(src.resolve("a/one"), new byte[100_000]);
        Files.writeString(src.resolve("x"), "pair");
        Files.createLink(src.resolve("b/two"), src.resolve("a/one"));
        Files.createLink(src.resolve("c3"), src.resolve("a/one"));
        Files.createLink(src.resolve("y"), src.resolve("x"));
        Path dst = Files.createDirectory(temp.resolve("dst"));
        TaskOptions onlyTransferred = TaskOptions.parse(Map.of("VerifyMode", "ONLY_FILES_TRANSFERRED"), TaskOptions.DEFAULTS);
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(dst), 2)) {
            TransferResult first = run(new PosixLocation(src), channel.remote, onlyTransferred);
            assertThat(failures).isEmpty();
            assertThat(first.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
            assertThat(first.counters()).containsEntry("FilesTransferred", 5L).containsEntry("FilesVerified", 5L)
                    .as("content crosses once per file").containsEntry("BytesTransferred", 100_004L);
            assertSameFile(dst, "a/one", "b/two", "c3");
            assertSameFile(dst, "x", "y");

            TransferResult again = run(new PosixLocation(src), channel.remote, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(again.counters()).as("nothing changed").containsEntry("FilesSkipped", 5L).containsEntry("FilesTransferred", 0L)
                    .containsEntry("FilesVerified", 5L);

            // Changed in place, all three names change; the first is written anew and the others follow it.
            byte[] changed = new byte[100_000];
            changed[5] = 1;
            Files.write(src.resolve("a/one"), changed);
            Files.setLastModifiedTime(src.resolve("a/one"), FileTime.from(Instant.parse("2022-01-01T00:00:00Z")));
            TransferResult third = run(new PosixLocation(src), channel.remote, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(third.counters()).containsEntry("FilesTransferred", 3L).containsEntry("BytesTransferred", 100_000L);
            assertSameFile(dst, "a/one", "b/two", "c3");
            assertThat(Files.readAllBytes(dst.resolve("c3"))).isEqualTo(changed);
        }

        // A separate copy at the destination becomes a link again.
        Files.delete(dst.resolve("y"));
        Files.writeString(dst.resolve("y"), "pair");
        Files.setLastModifiedTime(dst.resolve("y"), Files.getLastModifiedTime(src.resolve("y")));
        assertThat(run(new PosixLocation(src), new PosixLocation(dst), TaskOptions.DEFAULTS).counters())
                .containsEntry("FilesTransferred", 1L);
        assertSameFile(dst, "x", "y");

        String bucket = s3.createBucket();
        Map<String, Object> settings = Map.of("endpoint", s3.endpoint().toString(), "bucket", bucket,
                "accessKey", S3ProxyServer.ACCESS_KEY, "secretKey", S3ProxyServer.SECRET_KEY);
        try (Location s3Location = new S3LocationDriver().open(settings); S3Client client = s3.client()) {
            TransferResult up = run(new PosixLocation(src), s3Location, TaskOptions.DEFAULTS);
            assertThat(failures).isEmpty();
            assertThat(up.counters()).as("an object store has no links: one object per name")
                    .containsEntry("FilesTransferred", 5L).containsEntry("BytesTransferred", 300_008L);
            assertThat(client.headObject(b -> b.bucket(bucket).key("b/two")).contentLength()).isEqualTo(100_000L);
        }
    }

    private static void assertSameFile(Path root, String... names) throws IOException {
        Object inode = Files.getAttribute(root.resolve(names[0]), "unix:ino");
        for (String name : names) {
            assertThat(Files.getAttribute(root.resolve(name), "unix:ino")).as(name).isEqualTo(inode);
        }
    }

    @Test
    void cancellingMidFileLeavesNoPartialFileUnderItsFinalName() throws Exception {
        Path src = Files.createDirectory(temp.resolve("src"));
        byte[] block = new byte[1 << 20];
        new java.util.Random(5).nextBytes(block);
        try (var out = Files.newOutputStream(src.resolve("big.bin"))) {
            for (int i = 0; i < 300; i++) {
                out.write(block);
            }
        }
        Path dst = Files.createDirectory(temp.resolve("dst"));
        try (LoopbackDataChannel channel = new LoopbackDataChannel(new PosixLocation(dst), 2)) {
            Transfer transfer = new Transfer("execution=exec-cancel", new PosixLocation(src), channel.remote, TaskOptions.DEFAULTS, 4,
                    () -> 0, new ExecutionListener() { });
            java.util.concurrent.CompletableFuture<TransferResult> result =
                    java.util.concurrent.CompletableFuture.supplyAsync(transfer::run, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                try (var files = Files.list(dst)) {
                    return files.anyMatch(p -> p.getFileName().toString().startsWith(".ferry-tmp-"));
                }
            });
            transfer.cancel();
            assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS).outcome()).isEqualTo(TransferResult.Outcome.CANCELLED);
        }
        assertThat(dst.resolve("big.bin")).doesNotExist();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var files = Files.list(dst)) {
                assertThat(files).isEmpty();
            }
        });
    }

    /** A real POSIX location that flips one bit of one file on its way in: a silent disk fault. */
    private static class CorruptingLocation extends ForwardingLocation {
        private final String victim;

        CorruptingLocation(Location inner, String victim) {
            super(inner);
            this.victim = victim;
        }

        @Override
        public dev.ferry.locations.Stored put(String key, long size, FileMetadata metadata, InputStream content) {
            InputStream in = !key.equals(victim) ? content : new FilterInputStream(content) {
                private boolean flipped;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0 && !flipped) {
                        b[off] ^= 1;
                        flipped = true;
                    }
                    return n;
                }
            };
            return inner.put(key, size, metadata, in);
        }
    }
}
