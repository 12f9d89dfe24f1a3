package dev.ferry.locations.nfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** Small adapters between lambdas and oncrpc4j's XDR interfaces, and the NFSv3 basic types. */
final class Xdr {
    private Xdr() {
    }

    @FunctionalInterface
    interface Encoder {
        void encode(XdrEncodingStream x) throws IOException;
    }

    @FunctionalInterface
    interface Decoder<T> {
        T decode(XdrDecodingStream x) throws IOException;
    }

    /** Call arguments: encoded only. */
    static XdrAble args(Encoder encoder) {
        return new XdrAble() {
            @Override
            public void xdrEncode(XdrEncodingStream x) throws OncRpcException, IOException {
                encoder.encode(x);
            }

            @Override
            public void xdrDecode(XdrDecodingStream x) {
                throw new UnsupportedOperationException("arguments are not decoded");
            }
        };
    }

    /** A reply: decoded only, keeping the value. */
    static final class Reply<T> implements XdrAble {
        private final Decoder<T> decoder;
        private T value;

        Reply(Decoder<T> decoder) {
            this.decoder = decoder;
        }

        T value() {
            return value;
        }

        @Override
        public void xdrDecode(XdrDecodingStream x) throws OncRpcException, IOException {
            value = decoder.decode(x);
        }

        @Override
        public void xdrEncode(XdrEncodingStream x) {
            throw new UnsupportedOperationException("replies are not encoded");
        }
    }

    /** A file name or path: NFS carries bytes; Ferry's keys are UTF-8. */
    static void string(XdrEncodingStream x, String s) {
        x.xdrEncodeDynamicOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(XdrDecodingStream x) throws IOException {
        return new String(x.xdrDecodeDynamicOpaque(), StandardCharsets.UTF_8);
    }
}
