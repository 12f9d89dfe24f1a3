package dev.ferry.locations.nfs;

import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.CompletionHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcReply;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/**
 * An NFSv3 client (RFC 1813) over ONC RPC on TCP: the MOUNT call for the export's root handle,
 * and the NFS procedures a location needs. Every call is asynchronous underneath, so many are in
 * flight on the one connection at once (reads and writes ahead, and calls from many threads); the
 * blocking methods wait for their own reply. Authentication is AUTH_UNIX with the configured
 * uid and gid. Threading: safe for many threads.
 */
final class Nfs3Client implements AutoCloseable {
    static final int NFS_PROGRAM = 100003;
    static final int MOUNT_PROGRAM = 100005;
    private static final long TIMEOUT_SECONDS = 120;

    private final String host;
    private final OncRpcClient nfsClient;
    private final RpcCall nfs;
    private final int mountPort;
    private final RpcAuth auth;

    /** Sets of attributes for SETATTR, CREATE and MKDIR; empty parts are left as the server has them. */
    record Sattr(Optional<Integer> mode, Optional<Long> uid, Optional<Long> gid, Optional<Instant> atime,
            Optional<Instant> mtime) {
        static final Sattr NONE = new Sattr(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        boolean isEmpty() {
            return mode.isEmpty() && uid.isEmpty() && gid.isEmpty() && atime.isEmpty() && mtime.isEmpty();
        }

        void encode(XdrEncodingStream x) {
            optionalInt(x, mode.map(Integer::longValue));
            optionalInt(x, uid);
            optionalInt(x, gid);
            x.xdrEncodeBoolean(false); // size: unchanged
            time(x, atime);
            time(x, mtime);
        }

        private static void optionalInt(XdrEncodingStream x, Optional<Long> value) {
            x.xdrEncodeBoolean(value.isPresent());
            value.ifPresent(v -> x.xdrEncodeInt((int) (long) v));
        }

        private static void time(XdrEncodingStream x, Optional<Instant> t) {
            x.xdrEncodeInt(t.isPresent() ? 2 : 0); // SET_TO_CLIENT_TIME or DONT_CHANGE
            t.ifPresent(v -> {
                x.xdrEncodeInt((int) v.getEpochSecond());
                x.xdrEncodeInt(v.getNano());
            });
        }
    }

    record Handle(byte[] fh, Nfs3Attributes attributes) {
    }

    record DirEntry(String name, long cookie, Nfs3Attributes attributes, byte[] fh) {
    }

    record DirPage(List<DirEntry> entries, byte[] cookieVerifier, boolean eof) {
    }

    record ReadResult(byte[] data, boolean eof) {
    }

    record WriteResult(int count, long verifier) {
    }

    record FsInfo(int readPreferred, int writePreferred, int readMax, int writeMax) {
    }

    Nfs3Client(String host, int nfsPort, int mountPort, int uid, int gid) {
        this.host = host;
        this.mountPort = mountPort;
        this.auth = new RpcAuthTypeUnix(uid, gid, new int[] {gid}, (int) (System.currentTimeMillis() / 1000), "ferry");
        try {
            this.nfsClient = OncRpcClient.newBuilder().withTCP().withTcpNoDelay(true).withServiceName("ferry-nfs")
                    .withConnectTimeout(30, TimeUnit.SECONDS).build(new InetSocketAddress(host, nfsPort));
            RpcTransport transport = nfsClient.connect();
            this.nfs = new RpcCall(NFS_PROGRAM, 3, auth, transport);
        } catch (IOException e) {
            throw new LocationException("NFS_UNREACHABLE", "cannot reach NFS at " + host + ":" + nfsPort + ": " + e.getMessage(), e);
        }
    }

    /** MOUNT3 MNT: the export's root handle. */
    byte[] mount(String export) {
        try (OncRpcClient client = OncRpcClient.newBuilder().withTCP().withServiceName("ferry-mount")
                .withConnectTimeout(30, TimeUnit.SECONDS).build(new InetSocketAddress(host, mountPort))) {
            RpcCall mount = new RpcCall(MOUNT_PROGRAM, 3, auth, client.connect());
            return await(call(mount, 1, x -> Xdr.string(x, export), x -> {
                int status = x.xdrDecodeInt();
                if (status != 0) {
                    throw new LocationException(status == 13 || status == 1 ? "ACCESS_DENIED" : status == 2 ? "NOT_FOUND" : "NFS_MOUNT_FAILED",
                            "mounting " + host + ":" + export + " failed with status " + status);
                }
                return x.xdrDecodeDynamicOpaque();
            }), "MOUNT " + export);
        } catch (IOException e) {
            throw new LocationException("NFS_UNREACHABLE", "cannot reach MOUNT at " + host + ":" + mountPort + ": " + e.getMessage(), e);
        }
    }

    Nfs3Attributes getattr(byte[] fh, String what) {
        return await(nfsCall(1, x -> x.xdrEncodeDynamicOpaque(fh), x -> {
            check(x, what);
            return Nfs3Attributes.decode(x);
        }), what);
    }

    void setattr(byte[] fh, Sattr sattr, String what) {
        await(nfsCall(2, x -> {
            x.xdrEncodeDynamicOpaque(fh);
            sattr.encode(x);
            x.xdrEncodeBoolean(false); // no guard
        }, x -> {
            check(x, what);
            return Nfs3Attributes.decodeWcc(x);
        }), what);
    }

    /** LOOKUP: empty when the name is not there. */
    Optional<Handle> lookup(byte[] dir, String name, String what) {
        return await(nfsCall(3, x -> dirop(x, dir, name), x -> {
            int status = x.xdrDecodeInt();
            if (status == Nfs3Exception.NOENT) {
                Nfs3Attributes.decodeOptional(x);
                return Optional.<Handle>empty();
            }
            if (status != 0) {
                throw new Nfs3Exception(status, what);
            }
            byte[] fh = x.xdrDecodeDynamicOpaque();
            Nfs3Attributes attributes = Nfs3Attributes.decodeOptional(x);
            Nfs3Attributes.decodeOptional(x);
            return Optional.of(new Handle(fh, attributes));
        }), what);
    }

    String readlink(byte[] fh, String what) {
        return await(nfsCall(5, x -> x.xdrEncodeDynamicOpaque(fh), x -> {
            check(x, what);
            Nfs3Attributes.decodeOptional(x);
            return Xdr.string(x);
        }), what);
    }

    CompletableFuture<ReadResult> read(byte[] fh, long offset, int count, String what) {
        return nfsCall(6, x -> {
            x.xdrEncodeDynamicOpaque(fh);
            x.xdrEncodeLong(offset);
            x.xdrEncodeInt(count);
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeOptional(x);
            x.xdrDecodeInt(); // count, as the data's length says
            boolean eof = x.xdrDecodeBoolean();
            return new ReadResult(x.xdrDecodeDynamicOpaque(), eof);
        });
    }

    /** WRITE, UNSTABLE: the data is durable only after a COMMIT answers with the same verifier. */
    CompletableFuture<WriteResult> write(byte[] fh, long offset, byte[] data, int length, String what) {
        return nfsCall(7, x -> {
            x.xdrEncodeDynamicOpaque(fh);
            x.xdrEncodeLong(offset);
            x.xdrEncodeInt(length);
            x.xdrEncodeInt(0); // UNSTABLE
            x.xdrEncodeInt(length); // opaque<>: its length, then the bytes padded to four
            x.xdrEncodeOpaque(data, 0, length);
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeWcc(x);
            int count = x.xdrDecodeInt();
            x.xdrDecodeInt(); // committed
            return new WriteResult(count, x.xdrDecodeLong());
        });
    }

    /** COMMIT of the whole file; its write verifier. */
    long commit(byte[] fh, String what) {
        return await(nfsCall(21, x -> {
            x.xdrEncodeDynamicOpaque(fh);
            x.xdrEncodeLong(0);
            x.xdrEncodeInt(0);
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeWcc(x);
            return x.xdrDecodeLong();
        }), what);
    }

    /** CREATE, GUARDED: fails with EXIST when the name is taken. */
    Handle create(byte[] dir, String name, Sattr sattr, String what) {
        return await(nfsCall(8, x -> {
            dirop(x, dir, name);
            x.xdrEncodeInt(1); // GUARDED
            sattr.encode(x);
        }, x -> created(x, what)), what);
    }

    Handle mkdir(byte[] dir, String name, Sattr sattr, String what) {
        return await(nfsCall(9, x -> {
            dirop(x, dir, name);
            sattr.encode(x);
        }, x -> created(x, what)), what);
    }

    Handle symlink(byte[] dir, String name, String target, Sattr sattr, String what) {
        return await(nfsCall(10, x -> {
            dirop(x, dir, name);
            sattr.encode(x);
            Xdr.string(x, target);
        }, x -> created(x, what)), what);
    }

    void remove(byte[] dir, String name, String what) {
        await(nfsCall(12, x -> dirop(x, dir, name), x -> {
            check(x, what);
            return Nfs3Attributes.decodeWcc(x);
        }), what);
    }

    void rmdir(byte[] dir, String name, String what) {
        await(nfsCall(13, x -> dirop(x, dir, name), x -> {
            check(x, what);
            return Nfs3Attributes.decodeWcc(x);
        }), what);
    }

    void rename(byte[] fromDir, String fromName, byte[] toDir, String toName, String what) {
        await(nfsCall(14, x -> {
            dirop(x, fromDir, fromName);
            dirop(x, toDir, toName);
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeWcc(x);
            return Nfs3Attributes.decodeWcc(x);
        }), what);
    }

    void link(byte[] fh, byte[] dir, String name, String what) {
        await(nfsCall(15, x -> {
            x.xdrEncodeDynamicOpaque(fh);
            dirop(x, dir, name);
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeOptional(x);
            return Nfs3Attributes.decodeWcc(x);
        }), what);
    }

    DirPage readdirplus(byte[] dir, long cookie, byte[] verifier, String what) {
        return await(nfsCall(17, x -> {
            x.xdrEncodeDynamicOpaque(dir);
            x.xdrEncodeLong(cookie);
            x.xdrEncodeOpaque(verifier, 8);
            x.xdrEncodeInt(64 << 10); // dircount
            x.xdrEncodeInt(256 << 10); // maxcount
        }, x -> {
            check(x, what);
            Nfs3Attributes.decodeOptional(x);
            byte[] nextVerifier = x.xdrDecodeOpaque(8);
            List<DirEntry> entries = new ArrayList<>();
            while (x.xdrDecodeBoolean()) {
                x.xdrDecodeLong(); // fileid
                String name = Xdr.string(x);
                long entryCookie = x.xdrDecodeLong();
                Nfs3Attributes attributes = Nfs3Attributes.decodeOptional(x);
                byte[] fh = x.xdrDecodeBoolean() ? x.xdrDecodeDynamicOpaque() : null;
                entries.add(new DirEntry(name, entryCookie, attributes, fh));
            }
            return new DirPage(entries, nextVerifier, x.xdrDecodeBoolean());
        }), what);
    }

    FsInfo fsinfo(byte[] fh) {
        return await(nfsCall(19, x -> x.xdrEncodeDynamicOpaque(fh), x -> {
            check(x, "FSINFO");
            Nfs3Attributes.decodeOptional(x);
            int rtmax = x.xdrDecodeInt();
            int rtpref = x.xdrDecodeInt();
            x.xdrDecodeInt(); // rtmult
            int wtmax = x.xdrDecodeInt();
            int wtpref = x.xdrDecodeInt();
            return new FsInfo(rtpref, wtpref, rtmax, wtmax);
        }), "FSINFO");
    }

    private static Handle created(XdrDecodingStream x, String what) throws IOException {
        check(x, what);
        byte[] fh = x.xdrDecodeBoolean() ? x.xdrDecodeDynamicOpaque() : null;
        Nfs3Attributes attributes = Nfs3Attributes.decodeOptional(x);
        Nfs3Attributes.decodeWcc(x);
        return new Handle(fh, attributes);
    }

    private static void dirop(XdrEncodingStream x, byte[] dir, String name) {
        x.xdrEncodeDynamicOpaque(dir);
        Xdr.string(x, name);
    }

    private static void check(XdrDecodingStream x, String what) throws IOException {
        int status = x.xdrDecodeInt();
        if (status != 0) {
            throw new Nfs3Exception(status, what);
        }
    }

    private <T> CompletableFuture<T> nfsCall(int procedure, Xdr.Encoder args, Xdr.Decoder<T> result) {
        return call(nfs, procedure, args, result);
    }

    private static <T> CompletableFuture<T> call(RpcCall rpc, int procedure, Xdr.Encoder args, Xdr.Decoder<T> result) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            rpc.call(procedure, Xdr.args(args), new CompletionHandler<RpcReply, RpcTransport>() {
                @Override
                public void completed(RpcReply reply, RpcTransport transport) {
                    try {
                        Xdr.Reply<T> decoded = new Xdr.Reply<>(result);
                        reply.getReplyResult(decoded);
                        future.complete(decoded.value());
                    } catch (IOException | RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                }

                @Override
                public void failed(Throwable failure, RpcTransport transport) {
                    future.completeExceptionally(failure);
                }
            }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /** The reply's value; the server's status or the connection's failure as a location error. */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LocationException le) {
                throw le;
            }
            throw new LocationException("NFS_IO_ERROR", what + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new LocationException("NFS_TIMEOUT", what + ": no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocationException("CANCELLED", what + ": interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            nfsClient.close();
        } catch (IOException ignored) {
            // Closing a connection the server dropped already.
        }
    }
}
