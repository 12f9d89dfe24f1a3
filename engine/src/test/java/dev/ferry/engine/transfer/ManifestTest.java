package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.locations.posix.PosixLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests on real directories: only the listed paths move, and every listed path is accounted for. */
class ManifestTest {
    @TempDir
    Path temp;
    private Path src;
    private Path dst;
    private Path manifests;
    private final List<FileFailure> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void trees() throws IOException {
        src = Files.createDirectories(temp.resolve("src"));
        dst = Files.createDirectories(temp.resolve("dst"));
        manifests = Files.createDirectories(temp.resolve("manifests"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createDirectories(src.resolve("dir/sub"));
        Files.writeString(src.resolve("dir/b.txt"), "bravo");
        Files.writeString(src.resolve("dir/sub/deep.txt"), "deep");
        Files.writeString(src.resolve("with,comma.txt"), "comma");
        Files.writeString(src.resolve("new\nline.txt"), "newline");
        Files.writeString(src.resolve("say \"hi\".txt"), "quotes");
        Files.writeString(src.resolve("unlisted.txt"), "stays behind");
    }

    private TransferResult run(String manifestText, Map<String, Object> options) throws IOException {
        Files.writeString(manifests.resolve("list.csv"), manifestText);
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void itemFailed(FileFailure failure) {
                failures.add(failure);
            }
        };
        Transfer transfer = new Transfer("execution=exec-manifest", new PosixLocation(src), new PosixLocation(dst),
                TaskOptions.parse(options, TaskOptions.DEFAULTS), FilterRules.NONE, 4, () -> 0, listener);
        transfer.useManifest(new PosixLocation(manifests), "list.csv");
        return transfer.run();
    }

    @Test
    void onlyListedPathsMoveAndAMissingOneIsAFailureNotASkip() throws IOException {
        TransferResult result = run("\uFEFFa.txt\n/dir/b.txt,v1\n\n\"with,comma.txt\"\r\n\"new\nline.txt\"\n\"say \"\"hi\"\".txt\"\n"
                + "missing.txt\n../escape.txt\ndir/sub\n", Map.of());
        assertThat(failures).extracting(f -> f.key() + " " + f.phase() + " " + f.code()).containsExactlyInAnyOrder(
                "missing.txt PREPARE NOT_FOUND_AT_SOURCE", "../escape.txt PREPARE INVALID_PATH");
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(Files.readString(dst.resolve("a.txt"))).isEqualTo("alpha");
        assertThat(Files.readString(dst.resolve("dir/b.txt"))).isEqualTo("bravo");
        assertThat(Files.readString(dst.resolve("with,comma.txt"))).isEqualTo("comma");
        assertThat(Files.readString(dst.resolve("new\nline.txt"))).isEqualTo("newline");
        assertThat(Files.readString(dst.resolve("say \"hi\".txt"))).isEqualTo("quotes");
        assertThat(dst.resolve("dir/sub")).as("a listed directory is itself, not its contents").isDirectory();
        assertThat(dst.resolve("dir/sub/deep.txt")).doesNotExist();
        assertThat(dst.resolve("unlisted.txt")).doesNotExist();
        assertThat(temp.resolve("escape.txt")).doesNotExist();
        assertThat(result.counters()).containsEntry("FilesTransferred", 5L).containsEntry("FilesVerified", 5L)
                .containsEntry("FilesFailedPrepare", 2L).containsEntry("FilesListedAtSource", 5L);

        failures.clear();
        TransferResult again = run("a.txt\ndir/b.txt\n", Map.of());
        assertThat(again.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        assertThat(again.counters()).containsEntry("FilesSkipped", 2L).containsEntry("FilesTransferred", 0L)
                .containsEntry("FilesVerified", 2L);
    }

    @Test
    void pointInTimeVerificationComparesOnlyTheListedEntries() throws IOException {
        Files.writeString(dst.resolve("unlisted.txt"), "different, and not the manifest's business");
        TransferResult result = run("a.txt\ndir/b.txt\n", Map.of("VerifyMode", "ONLY_FILES_TRANSFERRED"));
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.SUCCESS);
        // Changed at the destination behind the task's back: the next verified run sees it.
        Files.writeString(dst.resolve("dir/b.txt"), "BRAVO");
        Files.setLastModifiedTime(dst.resolve("dir/b.txt"), Files.getLastModifiedTime(src.resolve("dir/b.txt")));
        TransferResult verified = run("a.txt\ndir/b.txt\n", Map.of("VerifyMode", "POINT_IN_TIME_CONSISTENT"));
        assertThat(failures).extracting(f -> f.key() + " " + f.code()).containsExactly("dir/b.txt VERIFICATION_FAILED");
        assertThat(verified.counters()).containsEntry("FilesVerified", 1L).containsEntry("FilesFailedVerify", 1L);
    }

    @Test
    void aMissingOrMalformedManifestFailsTheExecutionWithItsReason() throws IOException {
        Transfer transfer = new Transfer("execution=exec-manifest", new PosixLocation(src), new PosixLocation(dst),
                TaskOptions.DEFAULTS, FilterRules.NONE, 4, () -> 0, new ExecutionListener() { });
        transfer.useManifest(new PosixLocation(manifests), "nope.csv");
        TransferResult missing = transfer.run();
        assertThat(missing.outcome()).isEqualTo(TransferResult.Outcome.ERROR);
        assertThat(missing.errorCode()).hasValue("NOT_FOUND");
        assertThat(missing.errorDetail().orElseThrow()).contains("the manifest nope.csv cannot be read");

        TransferResult malformed = run("a.txt\n\"dir/b.txt\n", Map.of());
        assertThat(malformed.errorCode()).hasValue("INVALID_MANIFEST");
        assertThat(malformed.errorDetail().orElseThrow()).contains("list.csv line 2: a quoted field is not closed");
    }
}
