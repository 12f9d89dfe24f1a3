package dev.ferry.protocol.frame;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.ferry.protocol.data.Ack;
import dev.ferry.protocol.data.Cancel;
import dev.ferry.protocol.data.ChecksumRequest;
import dev.ferry.protocol.data.ChecksumResult;
import dev.ferry.protocol.data.Chunk;
import dev.ferry.protocol.data.Credit;
import dev.ferry.protocol.data.Done;
import dev.ferry.protocol.data.Error;
import dev.ferry.protocol.data.FileClose;
import dev.ferry.protocol.data.FileOpen;
import dev.ferry.protocol.data.GoAway;
import dev.ferry.protocol.data.Hello;
import dev.ferry.protocol.data.HelloAck;
import dev.ferry.protocol.data.Link;
import dev.ferry.protocol.data.ListPage;
import dev.ferry.protocol.data.ListRequest;
import dev.ferry.protocol.data.MakeDirectory;
import dev.ferry.protocol.data.ReadRequest;
import dev.ferry.protocol.data.Remove;
import dev.ferry.protocol.data.SecurityDescriptorRequest;
import dev.ferry.protocol.data.SecurityDescriptorResult;
import dev.ferry.protocol.data.SetMetadata;
import dev.ferry.protocol.data.StatRequest;
import dev.ferry.protocol.data.StatResult;

/**
 * Every frame type of the data channel, its wire code and the protobuf header it carries.
 * Codes are part of the protocol: never reuse or renumber one.
 */
public enum FrameType {
    HELLO(1, Hello.class, Hello.parser()),
    HELLO_ACK(2, HelloAck.class, HelloAck.parser()),
    LIST(3, ListRequest.class, ListRequest.parser()),
    LIST_PAGE(4, ListPage.class, ListPage.parser()),
    STAT(5, StatRequest.class, StatRequest.parser()),
    STAT_RESULT(6, StatResult.class, StatResult.parser()),
    READ(7, ReadRequest.class, ReadRequest.parser()),
    FILE_OPEN(8, FileOpen.class, FileOpen.parser()),
    CHUNK(9, Chunk.class, Chunk.parser()),
    FILE_CLOSE(10, FileClose.class, FileClose.parser()),
    ACK(11, Ack.class, Ack.parser()),
    CREDIT(12, Credit.class, Credit.parser()),
    MAKE_DIRECTORY(13, MakeDirectory.class, MakeDirectory.parser()),
    SET_METADATA(14, SetMetadata.class, SetMetadata.parser()),
    REMOVE(15, Remove.class, Remove.parser()),
    CHECKSUM(16, ChecksumRequest.class, ChecksumRequest.parser()),
    CHECKSUM_RESULT(17, ChecksumResult.class, ChecksumResult.parser()),
    DONE(18, Done.class, Done.parser()),
    ERROR(19, Error.class, Error.parser()),
    CANCEL(20, Cancel.class, Cancel.parser()),
    GOAWAY(21, GoAway.class, GoAway.parser()),
    LINK(22, Link.class, Link.parser()),
    SECURITY_DESCRIPTOR(23, SecurityDescriptorRequest.class, SecurityDescriptorRequest.parser()),
    SECURITY_DESCRIPTOR_RESULT(24, SecurityDescriptorResult.class, SecurityDescriptorResult.parser());

    private static final FrameType[] BY_CODE = new FrameType[32];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final Class<? extends Message> headerClass;
    private final Parser<? extends Message> parser;

    FrameType(int code, Class<? extends Message> headerClass, Parser<? extends Message> parser) {
        this.code = code;
        this.headerClass = headerClass;
        this.parser = parser;
    }

    public int code() {
        return code;
    }

    public Class<? extends Message> headerClass() {
        return headerClass;
    }

    Parser<? extends Message> parser() {
        return parser;
    }

    /** The type for a wire code, or a {@link ProtocolException} for a code this version does not know. */
    public static FrameType ofCode(int code) {
        FrameType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolException("unknown frame type " + code);
        }
        return type;
    }

    /** The type whose header is {@code header}'s class. */
    public static FrameType of(Message header) {
        for (FrameType type : values()) {
            if (type.headerClass == header.getClass()) {
                return type;
            }
        }
        throw new IllegalArgumentException("no frame type carries " + header.getClass().getName());
    }
}
