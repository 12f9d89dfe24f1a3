package dev.ferry.locations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every driver extends. Each test gets a fresh, empty location from
 * {@link #newEmptyLocation()}. A declared capability must work; an undeclared one must be refused
 * with {@link UnsupportedCapabilityException}.
 */
public abstract class LocationContractTest {
    protected Location location;

    /** A new location with nothing in it, on a real server or file system. */
    protected abstract Location newEmptyLocation() throws Exception;

    /** A size above the driver's multipart threshold, when it declares MULTIPART_WRITE. */
    protected long multipartSize() {
        return 12L * 1024 * 1024;
    }

    @BeforeEach
    void openLocation() throws Exception {
        location = newEmptyLocation();
    }

    @AfterEach
    void closeLocation() {
        if (location != null) {
            location.close();
        }
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** {@code t} as the location keeps it: truncated to its time step. */
    protected Instant kept(Instant t) {
        long step = location.timeGranularity().toNanos();
        long nanos = t.getNano() - t.getNano() % Math.min(step, 1_000_000_000L);
        return step >= 1_000_000_000L ? Instant.ofEpochSecond(t.getEpochSecond() - Math.floorMod(t.getEpochSecond(), step / 1_000_000_000L))
                : Instant.ofEpochSecond(t.getEpochSecond(), nanos);
    }

    protected void put(String key, byte[] data) {
        location.put(key, data.length, FileMetadata.NONE, new ByteArrayInputStream(data));
    }

    protected byte[] read(String key) throws IOException {
        try (InputStream in = location.openRead(key, 0)) {
            return in.readAllBytes();
        }
    }

    protected List<String> listedKeys() {
        try (Stream<Entry> entries = location.list()) {
            return entries.map(Entry::key).toList();
        }
    }

    @Test
    void putThenReadReturnsTheSameBytes() throws IOException {
        byte[] data = bytes(300_000, 1);
        put("dir/file.bin", data);
        put("empty", new byte[0]);
        assertThat(read("dir/file.bin")).isEqualTo(data);
        assertThat(read("empty")).isEmpty();
        assertThat(location.stat("dir/file.bin")).get().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EntryType.FILE);
            assertThat(e.size()).isEqualTo(data.length);
        });
    }

    @Test
    void putReplacesAnExistingFile() throws IOException {
        put("f", bytes(10, 1));
        byte[] second = bytes(20, 2);
        put("f", second);
        assertThat(read("f")).isEqualTo(second);
    }

    @Test
    void listsEveryEntryRecursivelyInCanonicalKeyOrder() {
        // Not "\uFFFD" beside "😀": S3 orders them by code point, but S3Proxy, S3Mock and Azurite by UTF-16 unit
        // (see docs/locations.md); the merge refuses such a listing as LISTING_OUT_OF_ORDER rather than miss files.
        for (String key : List.of("b", "a-b", "a/x", "a/y/z", "a b/ü", "a/ä", "c/d/e/f", "😀", "z")) {
            put(key, key.getBytes(StandardCharsets.UTF_8));
        }
        location.makeDirectory("empty/", FileMetadata.NONE);
        List<String> keys = listedKeys();
        List<String> files = keys.stream().filter(k -> !Keys.isDirectory(k)).toList();
        assertThat(files).containsExactly("a b/ü", "a-b", "a/x", "a/y/z", "a/ä", "b", "c/d/e/f", "z", "😀");
        assertThat(keys).contains("empty/");
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(KeyOrder.COMPARATOR);
        assertThat(keys).isEqualTo(sorted).doesNotHaveDuplicates();
        assertThat(location.stat("empty/")).get().extracting(Entry::type).isEqualTo(EntryType.DIRECTORY);
    }

    /** Entries in one directory: more than a listing page of the stores that page (S3 lists 1,000 keys a page). */
    protected int pagingEntries() {
        return 1_100;
    }

    @Test
    void aListingLongerThanAPageIsWholeAndInOrder() {
        int n = pagingEntries();
        location.makeDirectory("many/", FileMetadata.NONE);
        // From several threads at once, as transfers write: every location is safe for that.
        java.util.concurrent.ForkJoinPool writers = new java.util.concurrent.ForkJoinPool(8);
        try {
            writers.submit(() -> java.util.stream.IntStream.range(0, n).parallel().forEach(i ->
                    location.put(String.format("many/f-%05d", i), 0, FileMetadata.NONE, InputStream.nullInputStream()))).join();
        } finally {
            writers.shutdown();
        }
        List<String> keys = listedKeys().stream().filter(k -> k.startsWith("many/f-")).toList();
        assertThat(keys).hasSize(n).doesNotHaveDuplicates().isSortedAccordingTo(KeyOrder.COMPARATOR);
        assertThat(keys.get(n - 1)).isEqualTo(String.format("many/f-%05d", n - 1));
    }

    @Test
    void aFailedPutLeavesNothingUnderTheFinalName() {
        byte[] data = bytes(200_000, 3);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > 100_000) {
                    throw new IOException("connection lost");
                }
                int n = super.read(b, off, Math.min(len, 8192));
                served += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> location.put("partial", data.length, FileMetadata.NONE, failing))
                .isInstanceOf(LocationException.class);
        assertThat(location.stat("partial")).isEmpty();
        assertThat(listedKeys()).isEmpty();
    }

    @Test
    void aFailedPutKeepsThePreviousContent() throws IOException {
        byte[] before = bytes(1000, 4);
        put("kept", before);
        assertThatThrownBy(() -> location.put("kept", 5000, FileMetadata.NONE, new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(SizeMismatchException.class);
        assertThat(read("kept")).isEqualTo(before);
    }

    @Test
    void contentLongerThanAnnouncedIsRefused() {
        assertThatThrownBy(() -> location.put("long", 10, FileMetadata.NONE, new ByteArrayInputStream(new byte[11])))
                .isInstanceOf(SizeMismatchException.class);
        assertThat(location.stat("long")).isEmpty();
    }

    @Test
    void statOfAMissingKeyIsEmptyAndRemoveIsIdempotent() {
        assertThat(location.stat("missing")).isEmpty();
        put("gone", bytes(5, 5));
        location.remove("gone");
        location.remove("gone");
        assertThat(location.stat("gone")).isEmpty();
        assertThatThrownBy(() -> location.openRead("gone", 0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void keysThatCouldEscapeTheRootAreRefused() {
        for (String bad : List.of("../x", "/etc/passwd", "a/../../b", "a\0b", "a//b", "./a")) {
            assertThatThrownBy(() -> put(bad, new byte[1])).as(bad).isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> location.openRead(bad, 0)).as(bad).isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> location.remove(bad)).as(bad).isInstanceOf(InvalidKeyException.class);
        }
        assertThat(listedKeys()).isEmpty();
    }

    @Test
    void rangedReadWhenDeclaredAndRefusedOtherwise() throws IOException {
        byte[] data = bytes(10_000, 6);
        put("r", data);
        if (location.capabilities().contains(Capability.RANGED_READ)) {
            try (InputStream in = location.openRead("r", 4000)) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 4000, data.length));
            }
        } else {
            assertThatThrownBy(() -> location.openRead("r", 4000)).isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    @Test
    void posixMetadataRoundTripsWhenDeclared() {
        FileMetadata md = FileMetadata.of(Instant.parse("2021-03-04T05:06:07.123456789Z"),
                Instant.parse("2022-01-02T03:04:05.987654321Z"), 0640, currentUid(), currentGid());
        byte[] data = bytes(100, 7);
        location.put("m/file", data.length, md, new ByteArrayInputStream(data));
        FileMetadata dirMd = FileMetadata.of(Instant.parse("2020-01-01T00:00:00.5Z"), Instant.parse("2020-01-01T00:00:00Z"),
                0750, currentUid(), currentGid());
        location.makeDirectory("d/", dirMd);
        if (!location.capabilities().contains(Capability.POSIX_METADATA)) {
            return;
        }
        FileMetadata stored = location.stat("m/file").orElseThrow().metadata();
        assertThat(stored.mtime()).isEqualTo(md.mtime().map(this::kept));
        assertThat(stored.mode()).isEqualTo(md.mode());
        if (stored.uid().isPresent() || stored.owner().isEmpty()) { // a store that knows owners by name only (HDFS) has no numbers
            assertThat(stored.uid()).isEqualTo(md.uid());
            assertThat(stored.gid()).isEqualTo(md.gid());
        }
        try (Stream<Entry> entries = location.list()) {
            Entry listed = entries.filter(e -> e.key().equals("m/file")).findFirst().orElseThrow();
            // A listing may leave metadata out (object stores list sizes only), but never gets it wrong.
            listed.metadata().mtime().ifPresent(t -> assertThat(t).isEqualTo(kept(md.mtime().orElseThrow())));
        }
        FileMetadata storedDir = location.stat("d/").orElseThrow().metadata();
        assertThat(storedDir.mtime()).isEqualTo(dirMd.mtime().map(this::kept));
        assertThat(storedDir.mode()).isEqualTo(dirMd.mode());
    }

    @Test
    void theRootIsADirectoryWhoseMetadataCanBeSetWhenDeclared() {
        assertThat(location.stat(Keys.ROOT)).get().satisfies(root -> assertThat(root.type()).isEqualTo(EntryType.DIRECTORY));
        if (location.capabilities().contains(Capability.SET_METADATA) && location.capabilities().contains(Capability.POSIX_METADATA)) {
            Instant mtime = Instant.parse("2018-02-03T04:05:06.000000007Z");
            location.setMetadata(Keys.ROOT, FileMetadata.NONE.withMtime(java.util.Optional.of(mtime)));
            location.stat(Keys.ROOT).orElseThrow().metadata().mtime().ifPresent(t -> assertThat(t).isEqualTo(kept(mtime)));
        }
        assertThat(listedKeys()).doesNotContain(Keys.ROOT);
    }

    @Test
    void setMetadataWhenDeclaredAndRefusedOtherwise() throws IOException {
        byte[] data = bytes(50, 8);
        put("s", data);
        FileMetadata md = FileMetadata.of(Instant.parse("2019-05-06T07:08:09.000000001Z"),
                Instant.parse("2019-05-06T07:08:09Z"), 0600, currentUid(), currentGid());
        if (location.capabilities().contains(Capability.SET_METADATA)) {
            location.setMetadata("s", md);
            assertThat(location.stat("s").orElseThrow().metadata().mtime()).isEqualTo(md.mtime().map(this::kept));
            assertThat(read("s")).isEqualTo(data);
        } else {
            assertThatThrownBy(() -> location.setMetadata("s", md)).isInstanceOf(UnsupportedCapabilityException.class);
        }
    }

    @Test
    void undeclaredOptionalAbilitiesAreRefusedCleanly() {
        put("x", bytes(5, 9));
        if (!location.capabilities().contains(Capability.SERVER_SIDE_COPY)) {
            assertThatThrownBy(() -> location.serverSideCopy("x", "y")).isInstanceOf(UnsupportedCapabilityException.class);
        }
        if (!location.capabilities().contains(Capability.NATIVE_CHECKSUM)) {
            assertThat(location.storeChecksum(5)).isEmpty();
            assertThat(location.stat("x").orElseThrow().checksum()).isEmpty();
        }
    }

    /**
     * A store that checksums what it keeps returns, from the write and from stat, the checksum
     * Ferry computes over the same bytes by the algorithm the store names: one request's and a
     * multipart upload's. Whatever it declares, the checksum it gives with a read is that of
     * the bytes read.
     */
    @Test
    void storeChecksumsAreThoseOfTheBytesKept() throws IOException {
        for (byte[] data : new byte[][] {bytes(70_000, 31), bytes(0, 32), bytes((int) multipartSize(), 33)}) {
            String key = "sum-" + data.length;
            java.util.Optional<ContentChecksum> written = location.put(key, data.length, FileMetadata.NONE,
                    new ByteArrayInputStream(data)).checksum();
            java.util.Optional<ChecksumAlgorithm> algorithm = location.storeChecksum(data.length);
            if (!location.capabilities().contains(Capability.NATIVE_CHECKSUM)) {
                assertThat(written).isEmpty();
                assertThat(algorithm).isEmpty();
            } else {
                ContentChecksum expected = ContentDigest.of(algorithm.orElseThrow(), new ByteArrayInputStream(data));
                assertThat(written).contains(expected);
                assertThat(location.stat(key).orElseThrow().checksum()).contains(expected);
            }
            try (ChecksummedInputStream in = location.openChecksummed(key, ChecksumAlgorithm.SHA256)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
                assertThat(in.checksum()).isEqualTo(ContentDigest.of(ChecksumAlgorithm.SHA256, new ByteArrayInputStream(data)));
            }
        }
    }

    @Test
    void hardLinksShareOneFileWhenDeclared() throws IOException {
        byte[] data = bytes(3000, 21);
        put("a", data);
        if (!location.capabilities().contains(Capability.HARD_LINKS)) {
            assertThatThrownBy(() -> location.link("a", "b")).isInstanceOf(UnsupportedCapabilityException.class);
            return;
        }
        put("c", bytes(10, 22));
        location.link("a", "d/b");
        location.link("a", "c"); // replaces the file that was there
        assertThat(read("d/b")).isEqualTo(data);
        assertThat(read("c")).isEqualTo(data);
        List<Entry> files;
        try (Stream<Entry> entries = location.list()) {
            files = entries.filter(Entry::isFile).toList();
        }
        assertThat(files).extracting(Entry::key).containsExactly("a", "c", "d/b");
        assertThat(files).allSatisfy(e -> assertThat(e.metadata().hardLink()).get()
                .isEqualTo(files.get(0).metadata().hardLink().orElseThrow())
                .extracting(HardLink::linkCount).isEqualTo(3L));
        assertThatThrownBy(() -> location.link("missing", "e")).isInstanceOf(NotFoundException.class);
        assertThat(location.stat("e")).isEmpty();
    }

    @Test
    void objectTagsTravelWithTheObjectWhenDeclaredAndAreRefusedOtherwise() throws IOException {
        byte[] data = bytes(2000, 31);
        put("plain", data);
        if (!location.capabilities().contains(Capability.OBJECT_TAGS)) {
            assertThatThrownBy(() -> location.objectTags("plain")).isInstanceOf(UnsupportedCapabilityException.class);
            return;
        }
        assertThat(location.objectTags("plain")).isEmpty();
        java.util.Map<String, String> tags = java.util.Map.of("project", "ferry", "tier", "cold-storage_2.v1~");
        location.put("tagged", data.length, FileMetadata.NONE.withObjectTags(java.util.Optional.of(tags)),
                new ByteArrayInputStream(data));
        assertThat(location.objectTags("tagged")).isEqualTo(tags);
        byte[] large = bytes((int) multipartSize(), 32);
        location.put("big/tagged", large.length, FileMetadata.NONE.withObjectTags(java.util.Optional.of(tags)),
                new ByteArrayInputStream(large));
        assertThat(location.objectTags("big/tagged")).as("through the multipart path too").isEqualTo(tags);
        if (location.capabilities().contains(Capability.SET_METADATA)) {
            java.util.Map<String, String> other = java.util.Map.of("project", "other", "note", "spaces + and = signs / slashes: @all");
            location.setMetadata("tagged", FileMetadata.NONE.withObjectTags(java.util.Optional.of(other)));
            assertThat(location.objectTags("tagged")).isEqualTo(other);
            location.setMetadata("tagged", FileMetadata.NONE);
            assertThat(location.objectTags("tagged")).as("unknown tags are left as they are").isEqualTo(other);
            location.setMetadata("tagged", FileMetadata.NONE.withObjectTags(java.util.Optional.of(java.util.Map.of())));
            assertThat(location.objectTags("tagged")).isEmpty();
            assertThat(read("tagged")).isEqualTo(data);
        }
        assertThatThrownBy(() -> location.objectTags("missing")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void windowsAttributesAreListedAndKeptWhenDeclared() throws IOException {
        int hidden = 0x2;
        int readOnly = 0x1;
        int archive = 0x20;
        byte[] data = bytes(1500, 41);
        location.put("attr/hidden", data.length, FileMetadata.NONE.withFileAttributes(java.util.OptionalInt.of(hidden | archive)),
                new ByteArrayInputStream(data));
        if (!location.capabilities().contains(Capability.WINDOWS_ATTRIBUTES)) {
            try (Stream<Entry> entries = location.list()) {
                assertThat(entries).allSatisfy(e -> assertThat(e.metadata().fileAttributes()).isEmpty());
            }
            return;
        }
        assertThat(location.stat("attr/hidden").orElseThrow().metadata().fileAttributes()).hasValue(hidden | archive);
        try (Stream<Entry> entries = location.list()) {
            assertThat(entries.filter(e -> e.key().equals("attr/hidden")).findFirst().orElseThrow().metadata().fileAttributes())
                    .as("listed as stat'ed").hasValue(hidden | archive);
        }
        location.put("attr/ro", data.length, FileMetadata.NONE.withFileAttributes(java.util.OptionalInt.of(readOnly)),
                new ByteArrayInputStream(data));
        assertThat(location.stat("attr/ro").orElseThrow().metadata().fileAttributes()).hasValue(readOnly);
        byte[] other = bytes(700, 42);
        location.put("attr/ro", other.length, FileMetadata.NONE.withFileAttributes(java.util.OptionalInt.of(readOnly)),
                new ByteArrayInputStream(other));
        assertThat(read("attr/ro")).as("a read-only file is replaced like any other").isEqualTo(other);
        assertThat(location.stat("attr/ro").orElseThrow().metadata().fileAttributes()).hasValue(readOnly);
        if (location.capabilities().contains(Capability.SET_METADATA)) {
            location.setMetadata("attr/hidden", FileMetadata.NONE.withFileAttributes(java.util.OptionalInt.of(0)));
            assertThat(location.stat("attr/hidden").orElseThrow().metadata().fileAttributes()).hasValue(0);
            location.setMetadata("attr/hidden", FileMetadata.NONE);
            assertThat(location.stat("attr/hidden").orElseThrow().metadata().fileAttributes())
                    .as("attributes not given are left as they are").hasValue(0);
        }
        location.makeDirectory("attr/dir/", FileMetadata.NONE.withFileAttributes(java.util.OptionalInt.of(hidden)));
        Entry dir = location.stat("attr/dir/").orElseThrow();
        assertThat(dir.isDirectory()).isTrue();
        assertThat(dir.metadata().fileAttributes()).hasValue(hidden);
        location.remove("attr/ro");
        assertThat(location.stat("attr/ro")).as("a read-only file is removed like any other").isEmpty();
    }

    @Test
    void securityDescriptorsRoundTripWhenDeclaredAndAreRefusedOtherwise() throws IOException {
        byte[] data = bytes(900, 43);
        put("sd/a", data);
        java.util.Set<SecurityDescriptor.Part> parts = java.util.EnumSet.of(SecurityDescriptor.Part.OWNER, SecurityDescriptor.Part.DACL);
        if (!location.capabilities().contains(Capability.ACL)) {
            assertThatThrownBy(() -> location.securityDescriptor("sd/a", parts)).isInstanceOf(UnsupportedCapabilityException.class);
            return;
        }
        SecurityDescriptor a = location.securityDescriptor("sd/a", parts);
        assertThat(a.parts()).isEqualTo(parts);
        assertThat(location.securityDescriptor("sd/a", parts)).as("the same file reads the same").isEqualTo(a);
        location.put("sd/b", data.length, FileMetadata.NONE.withSecurityDescriptor(java.util.Optional.of(a)),
                new ByteArrayInputStream(data));
        assertThat(location.securityDescriptor("sd/b", parts)).isEqualTo(a);
        SecurityDescriptor dir = location.securityDescriptor("sd/", parts);
        location.makeDirectory("sd/d/", FileMetadata.NONE.withSecurityDescriptor(java.util.Optional.of(dir)));
        assertThat(location.securityDescriptor("sd/d/", parts)).isEqualTo(dir);
        if (location.capabilities().contains(Capability.SET_METADATA)) {
            put("sd/c", data);
            location.setMetadata("sd/c", FileMetadata.NONE.withSecurityDescriptor(java.util.Optional.of(a)));
            assertThat(location.securityDescriptor("sd/c", parts)).isEqualTo(a);
            assertThat(read("sd/c")).isEqualTo(data);
        }
        assertThatThrownBy(() -> location.securityDescriptor("sd/missing", parts)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aFifoIsKeptAsOneWhenDevicesAreDeclared() {
        if (!location.capabilities().contains(Capability.DEVICES)) {
            return;
        }
        FileMetadata fifo = FileMetadata.of(Instant.parse("2024-05-06T07:08:09Z"), Instant.parse("2024-05-06T07:08:09Z"),
                0640, 0, 0).withDevice(java.util.Optional.of(DeviceNode.fifo()));
        location.put("dev/pipe", 0, fifo, InputStream.nullInputStream());
        Entry entry = location.stat("dev/pipe").orElseThrow();
        assertThat(entry.type()).isEqualTo(EntryType.OTHER);
        assertThat(entry.size()).isZero();
        assertThat(entry.metadata().device()).contains(DeviceNode.fifo());
        assertThat(entry.metadata().mtime()).isEqualTo(fifo.mtime());
        assertThatThrownBy(() -> location.put("dev/bad", 1, fifo, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(LocationException.class);
        assertThat(location.stat("dev/bad")).isEmpty();
    }

    @Test
    void largeFilesArriveWholeAcrossTheMultipartPath() throws IOException {
        int size = (int) multipartSize();
        byte[] data = bytes(size, 10);
        put("big/file", data);
        assertThat(location.stat("big/file").orElseThrow().size()).isEqualTo(size);
        assertThat(java.util.Arrays.equals(read("big/file"), data)).isTrue();
    }

    protected static long currentUid() {
        return unixAttribute("uid");
    }

    protected static long currentGid() {
        return unixAttribute("gid");
    }

    private static long unixAttribute(String name) {
        try {
            java.nio.file.Path probe = java.nio.file.Files.createTempFile("ferry-probe", null);
            try {
                return ((Number) java.nio.file.Files.getAttribute(probe, "unix:" + name)).longValue();
            } finally {
                java.nio.file.Files.delete(probe);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
