package dev.ferry.locations.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.msfscc.fileinformation.FileBasicInformation;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import dev.ferry.locations.Capability;
import dev.ferry.locations.ContentChecksum;
import dev.ferry.locations.Entry;
import dev.ferry.locations.EntryType;
import dev.ferry.locations.ExactLengthInputStream;
import dev.ferry.locations.FileMetadata;
import dev.ferry.locations.InvalidKeyException;
import dev.ferry.locations.Keys;
import dev.ferry.locations.ListingScope;
import dev.ferry.locations.Location;
import dev.ferry.locations.LocationException;
import dev.ferry.locations.NotFoundException;
import dev.ferry.locations.SecurityDescriptor;
import dev.ferry.locations.SortedTreeWalk;
import dev.ferry.locations.Stored;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A directory in an SMB share. Writes go to a hidden temporary file in the target directory, get
 * their times, and are renamed over the final name in one step, so a partial file never shows
 * under it, already with its security descriptor and times; its attributes are set once it
 * has its name (see {@link SmbTimes#attributesOnly}). Times are kept at SMB's 100 ns; SMB keeps
 * no POSIX mode or owner.
 */
public final class SmbLocation implements Location {
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RANGED_READ, Capability.SET_METADATA,
            Capability.HIERARCHICAL_DIRECTORIES, Capability.ACL, Capability.WINDOWS_ATTRIBUTES));
    static final Duration TIME_GRANULARITY = Duration.ofNanos(100);
    /** Prefix of in-progress writes; such files are never listed. */
    static final String TEMP_PREFIX = ".ferry-tmp-";
    private static final int CHUNK = 1 << 20;

    private final SmbSettings settings;
    private final SmbShare share;

    public SmbLocation(SmbSettings settings) {
        this.settings = settings;
        this.share = new SmbShare(settings);
    }

    @Override
    public String kind() {
        return SmbLocationDriver.KIND;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Duration timeGranularity() {
        return TIME_GRANULARITY;
    }

    @Override
    public Stream<Entry> list() {
        return list(ListingScope.EVERYTHING);
    }

    @Override
    public Stream<Entry> list(ListingScope scope) {
        return SortedTreeWalk.stream(this::children, scope);
    }

    private List<Entry> children(String dirKey) {
        List<Entry> entries = new ArrayList<>();
        try {
            for (FileIdBothDirectoryInformation info : share.get().list(path(dirKey))) {
                String name = info.getFileName();
                if (name.equals(".") || name.equals("..") || name.startsWith(TEMP_PREFIX)) {
                    continue;
                }
                entries.add(entry(dirKey + name, info.getFileAttributes(), info.getEndOfFile(),
                        metadata(info.getLastWriteTime(), info.getLastAccessTime(), info.getFileAttributes())));
            }
        } catch (RuntimeException e) {
            throw failure(dirKey.isEmpty() ? "/" : dirKey, e);
        }
        return entries;
    }

    private static Entry entry(String keyWithoutSlash, long attributes, long size, FileMetadata metadata) {
        if ((attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0) {
            return new Entry(keyWithoutSlash + "/", EntryType.DIRECTORY, 0, metadata);
        }
        if ((attributes & FileAttributes.FILE_ATTRIBUTE_REPARSE_POINT.getValue()) != 0) {
            return new Entry(keyWithoutSlash, EntryType.OTHER, 0, metadata); // a link or junction: not followed, not copied
        }
        return new Entry(keyWithoutSlash, EntryType.FILE, size, metadata);
    }

    private static FileMetadata metadata(com.hierynomus.msdtyp.FileTime write, com.hierynomus.msdtyp.FileTime access,
            long attributes) {
        return new FileMetadata(Optional.of(SmbTimes.toInstant(write)), Optional.of(SmbTimes.toInstant(access)),
                OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty())
                .withFileAttributes(OptionalInt.of((int) attributes & FileMetadata.CARRIED_ATTRIBUTES));
    }

    @Override
    public Optional<Entry> stat(String key) {
        String checked = Keys.requireValidOrRoot(key);
        try {
            FileAllInformation info = share.get().getFileInformation(path(checked));
            FileBasicInformation basic = info.getBasicInformation();
            String bare = Keys.isDirectory(checked) ? checked.substring(0, checked.length() - 1) : checked;
            Entry entry = entry(bare, basic.getFileAttributes(), info.getStandardInformation().getEndOfFile(),
                    metadata(basic.getLastWriteTime(), basic.getLastAccessTime(), basic.getFileAttributes()));
            if (Keys.ROOT.equals(checked)) {
                return Optional.of(new Entry(Keys.ROOT, EntryType.DIRECTORY, 0, entry.metadata()));
            }
            return entry.isDirectory() == Keys.isDirectory(checked) ? Optional.of(entry) : Optional.empty();
        } catch (SMBApiException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    @Override
    public InputStream openRead(String key, long offset) {
        Keys.requireValid(key);
        return onExisting(key, () -> new SmbFileInput(share.get().openFile(path(key), EnumSet.of(AccessMask.GENERIC_READ), null,
                EnumSet.of(SMB2ShareAccess.FILE_SHARE_READ), SMB2CreateDisposition.FILE_OPEN,
                EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE)), key, offset));
    }

    @Override
    public Stored put(String key, long size, FileMetadata metadata, InputStream content) {
        write(key, size, metadata, content);
        return Stored.NOTHING; // No checksum or version of its own is kept here.
    }

    private void write(String key, long size, FileMetadata metadata, InputStream content) {
        if (Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a file key must not end with '/'");
        }
        requireNameSmbCanHold(key);
        if (metadata.linkTarget().isPresent() || metadata.device().isPresent()) {
            throw new LocationException("NOT_SUPPORTED", key + ": SMB locations keep neither symbolic links nor devices");
        }
        DiskShare disk = share.get();
        String parent = Keys.parent(key);
        makeDirectories(disk, parent);
        String temp = path(parent + TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        ExactLengthInputStream exact = new ExactLengthInputStream(content, key, size);
        Optional<SecurityDescriptor> descriptor = metadata.securityDescriptor();
        Set<AccessMask> access = EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.DELETE);
        descriptor.ifPresent(d -> access.addAll(SmbSecurity.writeAccess(d.parts())));
        boolean renamed = false;
        try (File file = disk.openFile(temp, access, null,
                EnumSet.noneOf(SMB2ShareAccess.class), SMB2CreateDisposition.FILE_CREATE,
                EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE))) {
            try {
                byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
                long offset = 0;
                for (int n; (n = exact.read(buffer, 0, buffer.length)) > 0; offset += n) {
                    file.write(buffer, offset, 0, n);
                }
                descriptor.ifPresent(d -> file.setSecurityInformation(SmbSecurity.toSmb(d), SmbSecurity.information(d.parts())));
                SmbTimes.times(metadata).ifPresent(file::setFileInformation);
                replace(disk, file, key);
                renamed = true;
                SmbTimes.attributesOnly(metadata).ifPresent(file::setFileInformation);
            } finally {
                if (!renamed) {
                    file.deleteOnClose();
                }
            }
        } catch (IOException e) {
            throw exact.failure() != null ? exact.failure() : new LocationException("SOURCE_READ_FAILED", key + ": " + e.getMessage(), e);
        } catch (SMBApiException e) {
            if (e.getStatus() == NtStatus.STATUS_ACCESS_DENIED && isDirectory(disk, key)) {
                throw new LocationException("TYPE_CONFLICT", "a directory of that name exists: " + key, e);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            if (exact.failure() != null) {
                throw exact.failure();
            }
            throw failure(key, e);
        }
    }

    /** Renames the written file over {@code key}; a read-only file there is made writable first, as Windows requires. */
    private void replace(DiskShare disk, File file, String key) {
        try {
            file.rename(path(key), true);
        } catch (SMBApiException e) {
            if (e.getStatus() != NtStatus.STATUS_ACCESS_DENIED || !clearReadOnly(disk, key)) {
                throw e;
            }
            file.rename(path(key), true);
        }
    }

    /** Whether {@code key} is a read-only file, now made writable. */
    private boolean clearReadOnly(DiskShare disk, String key) {
        try {
            FileBasicInformation basic = disk.getFileInformation(path(key), FileBasicInformation.class);
            long attributes = basic.getFileAttributes();
            if ((attributes & SmbTimes.READ_ONLY) == 0 || (attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue()) != 0) {
                return false;
            }
            long rest = attributes & ~SmbTimes.READ_ONLY;
            disk.setFileInformation(path(key), new FileBasicInformation(FileBasicInformation.DONT_SET,
                    FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET, FileBasicInformation.DONT_SET,
                    rest == 0 ? FileAttributes.FILE_ATTRIBUTE_NORMAL.getValue() : rest));
            return true;
        } catch (SMBApiException e) {
            return false;
        }
    }

    private boolean isDirectory(DiskShare disk, String key) {
        try {
            return disk.folderExists(path(key));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void makeDirectory(String key, FileMetadata metadata) {
        if (!Keys.isDirectory(Keys.requireValid(key))) {
            throw new InvalidKeyException(key, "a directory key must end with '/'");
        }
        requireNameSmbCanHold(key);
        try {
            DiskShare disk = share.get();
            makeDirectories(disk, key);
            writeMetadata(disk, key, metadata);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    /** Makes {@code dirKey} and its missing parents; an existing file in the way fails as NOT_A_DIRECTORY. */
    private void makeDirectories(DiskShare disk, String dirKey) {
        if (dirKey.isEmpty()) {
            return;
        }
        try {
            if (disk.folderExists(path(dirKey))) {
                return;
            }
        } catch (SMBApiException e) {
            if (e.getStatus() != NtStatus.STATUS_OBJECT_PATH_NOT_FOUND && e.getStatus() != NtStatus.STATUS_NOT_A_DIRECTORY) {
                throw failure(dirKey, e);
            }
        }
        makeDirectories(disk, Keys.parent(dirKey));
        try {
            disk.mkdir(path(dirKey));
        } catch (SMBApiException e) {
            if (e.getStatus() == NtStatus.STATUS_OBJECT_NAME_COLLISION) {
                if (disk.folderExists(path(dirKey))) {
                    return; // made by another writer meanwhile
                }
                throw new LocationException("NOT_A_DIRECTORY", "a parent of " + dirKey + " exists and is not a directory", e);
            }
            throw failure(dirKey, e);
        }
    }

    /** Removing what is not there, or what is of the other type, removes nothing. */
    @Override
    public void remove(String key) {
        Keys.requireValid(key);
        try {
            if (Keys.isDirectory(key)) {
                share.get().rmdir(path(key), false);
            } else {
                removeFile(share.get(), key);
            }
        } catch (SMBApiException e) {
            if (notFound(e) || e.getStatus() == NtStatus.STATUS_NOT_A_DIRECTORY
                    || e.getStatus() == NtStatus.STATUS_FILE_IS_A_DIRECTORY) {
                return;
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    /** A read-only file cannot be deleted (STATUS_CANNOT_DELETE) until it is made writable. */
    private void removeFile(DiskShare disk, String key) {
        try {
            disk.rm(path(key));
        } catch (SMBApiException e) {
            if (e.getStatus() != NtStatus.STATUS_CANNOT_DELETE || !clearReadOnly(disk, key)) {
                throw e;
            }
            disk.rm(path(key));
        }
    }

    @Override
    public void setMetadata(String key, FileMetadata metadata) {
        String checked = Keys.requireValidOrRoot(key);
        onExisting(key, () -> {
            writeMetadata(share.get(), checked, metadata);
            return null;
        });
    }

    /** The security descriptor first: it does not touch the times set after it. */
    private void writeMetadata(DiskShare disk, String key, FileMetadata metadata) {
        metadata.securityDescriptor().ifPresent(d ->
                disk.setSecurityInfo(path(key), SmbSecurity.information(d.parts()), SmbSecurity.toSmb(d)));
        SmbTimes.basicInformation(metadata, Keys.isDirectory(key) || Keys.ROOT.equals(key))
                .ifPresent(info -> disk.setFileInformation(path(key), info));
    }

    @Override
    public SecurityDescriptor securityDescriptor(String key, Set<SecurityDescriptor.Part> parts) {
        String checked = Keys.requireValidOrRoot(key);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no security descriptor parts asked for");
        }
        return onExisting(key, () -> SmbSecurity.toFerry(share.get().getSecurityInfo(path(checked),
                SmbSecurity.information(parts)), parts));
    }

    /** Runs a request on an entry that must exist: not being there is NOT_FOUND, any other failure its code. */
    private static <T> T onExisting(String key, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SMBApiException e) {
            if (notFound(e)) {
                throw new NotFoundException(key);
            }
            throw failure(key, e);
        } catch (RuntimeException e) {
            throw failure(key, e);
        }
    }

    /** Whether this location's session is encrypted, as its share requires; false until first used. */
    public boolean encrypted() {
        return share.encrypted();
    }

    @Override
    public void close() {
        share.close();
    }

    /** The path in the share: the location's directory, then the key, with SMB's separator. */
    private String path(String key) {
        String bare = Keys.isDirectory(key) ? key.substring(0, key.length() - 1) : key;
        String joined = settings.directory().isEmpty() ? bare : bare.isEmpty() ? settings.directory() : settings.directory() + "/" + bare;
        return joined.replace('/', '\\');
    }

    /** A backslash is SMB's separator: a name holding one would land elsewhere. */
    private static void requireNameSmbCanHold(String key) {
        if (key.indexOf('\\') >= 0) {
            throw new InvalidKeyException(key, "SMB names cannot hold a backslash");
        }
    }

    private static boolean notFound(SMBApiException e) {
        return e.getStatus() == NtStatus.STATUS_OBJECT_NAME_NOT_FOUND || e.getStatus() == NtStatus.STATUS_OBJECT_PATH_NOT_FOUND
                || e.getStatus() == NtStatus.STATUS_NOT_FOUND || e.getStatus() == NtStatus.STATUS_DELETE_PENDING;
    }

    /** The server's answer as a location error with a stable code. */
    static LocationException failure(String key, RuntimeException e) {
        if (e instanceof LocationException le) {
            return le;
        }
        if (e instanceof SMBApiException api) {
            String code = switch (api.getStatus()) {
                case STATUS_ACCESS_DENIED -> "ACCESS_DENIED";
                case STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_NOT_FOUND -> "NOT_FOUND";
                case STATUS_OBJECT_NAME_INVALID -> "INVALID_PATH";
                case STATUS_DISK_FULL -> "NO_SPACE";
                case STATUS_NOT_A_DIRECTORY -> "NOT_A_DIRECTORY";
                case STATUS_FILE_IS_A_DIRECTORY -> "TYPE_CONFLICT";
                case STATUS_DIRECTORY_NOT_EMPTY -> "DIRECTORY_NOT_EMPTY";
                case STATUS_PRIVILEGE_NOT_HELD -> "PRIVILEGE_NOT_HELD";
                default -> "SMB_" + api.getStatus().name().replaceFirst("^STATUS_", "");
            };
            String hint = api.getStatus() == NtStatus.STATUS_PRIVILEGE_NOT_HELD
                    ? "; SACLs and owners other than the user's own need the user to hold SeSecurityPrivilege and SeRestorePrivilege"
                    : "";
            return new LocationException(code, key + ": " + api.getStatus() + " (" + api.getFailedCommand() + ")" + hint, e);
        }
        if (e instanceof SMBRuntimeException) {
            return new LocationException("SMB_CONNECTION", key + ": " + e.getMessage(), e);
        }
        return new LocationException("IO_ERROR", key + ": " + e, e);
    }
}
