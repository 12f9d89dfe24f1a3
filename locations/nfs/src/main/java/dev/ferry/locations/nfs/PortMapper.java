package dev.ferry.locations.nfs;

import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeNone;
import org.dcache.oncrpc4j.rpc.RpcCall;

/** Asks a server's port mapper (port 111, version 2, GETPORT) where a program listens over TCP. */
final class PortMapper {
    private static final int PROGRAM = 100000;

    private PortMapper() {
    }

    static int port(String host, int program, int version) {
        try (OncRpcClient client = OncRpcClient.newBuilder().withTCP().withServiceName("ferry-portmap")
                .withConnectTimeout(30, TimeUnit.SECONDS).build(new InetSocketAddress(host, 111))) {
            RpcCall call = new RpcCall(PROGRAM, 2, new RpcAuthTypeNone(), client.connect());
            Xdr.Reply<Integer> reply = new Xdr.Reply<>(x -> x.xdrDecodeInt());
            call.call(3, Xdr.args(x -> {
                x.xdrEncodeInt(program);
                x.xdrEncodeInt(version);
                x.xdrEncodeInt(6); // TCP
                x.xdrEncodeInt(0);
            }), reply, 60, TimeUnit.SECONDS);
            if (reply.value() == 0) {
                throw new LocationException("NFS_UNREACHABLE", host + " registers no program " + program + " version " + version
                        + " over TCP with its port mapper; give mountPort");
            }
            return reply.value();
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new LocationException("NFS_UNREACHABLE", "cannot ask the port mapper of " + host + ": " + e.getMessage()
                    + "; give mountPort", e);
        }
    }
}
