package dev.ferry.locations.nfs;

import java.io.IOException;
import java.time.Instant;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;

/** NFSv3's fattr3: what the server says of a file. Times are seconds and nanoseconds. */
record Nfs3Attributes(int type, int mode, long nlink, long uid, long gid, long size, long rdevMajor, long rdevMinor,
        long fsid, long fileId, Instant atime, Instant mtime, Instant ctime) {
    static final int REG = 1;
    static final int DIR = 2;
    static final int BLK = 3;
    static final int CHR = 4;
    static final int LNK = 5;
    static final int SOCK = 6;
    static final int FIFO = 7;

    static Nfs3Attributes decode(XdrDecodingStream x) throws IOException {
        int type = x.xdrDecodeInt();
        int mode = x.xdrDecodeInt();
        long nlink = Integer.toUnsignedLong(x.xdrDecodeInt());
        long uid = Integer.toUnsignedLong(x.xdrDecodeInt());
        long gid = Integer.toUnsignedLong(x.xdrDecodeInt());
        long size = x.xdrDecodeLong();
        x.xdrDecodeLong(); // used
        long major = Integer.toUnsignedLong(x.xdrDecodeInt());
        long minor = Integer.toUnsignedLong(x.xdrDecodeInt());
        long fsid = x.xdrDecodeLong();
        long fileId = x.xdrDecodeLong();
        Instant atime = time(x);
        Instant mtime = time(x);
        Instant ctime = time(x);
        return new Nfs3Attributes(type, mode & 07777, nlink, uid, gid, size, major, minor, fsid, fileId, atime, mtime, ctime);
    }

    static Instant time(XdrDecodingStream x) throws IOException {
        long seconds = Integer.toUnsignedLong(x.xdrDecodeInt());
        long nanos = Integer.toUnsignedLong(x.xdrDecodeInt());
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** post_op_attr: present or not. */
    static Nfs3Attributes decodeOptional(XdrDecodingStream x) throws IOException {
        return x.xdrDecodeBoolean() ? decode(x) : null;
    }

    /** wcc_data: the before (skipped) and the after. */
    static Nfs3Attributes decodeWcc(XdrDecodingStream x) throws IOException {
        if (x.xdrDecodeBoolean()) {
            x.xdrDecodeLong();
            time(x);
            time(x);
        }
        return decodeOptional(x);
    }
}
