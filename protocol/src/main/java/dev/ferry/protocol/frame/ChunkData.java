package dev.ferry.protocol.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * File bytes received on a stream, decompressed and checked against their CRC32C. The bytes lie
 * in {@code array} from {@code arrayOffset}, after {@link #ROOM} bytes left free, so that a writer
 * sending them on after a head of its own (an HTTP request's) can put the head there and send both
 * from the one array, not copy the bytes into another.
 *
 * @param streamId stream of the file
 * @param offset position of the first byte in the file
 * @param array holds the bytes; not changed by anyone once the chunk is handed on
 * @param arrayOffset where the bytes start in {@code array}
 * @param length how many bytes
 * @param wireBytes how many payload bytes the chunk took on the wire
 * @param crc32c the CRC32C of the bytes, checked
 */
public record ChunkData(int streamId, long offset, byte[] array, int arrayOffset, int length, int wireBytes, int crc32c) {
    /** Bytes left free before a received chunk's bytes: an HTTP PUT's head with metadata and tags fits. */
    public static final int ROOM = 4096;

    public ChunkData {
        Objects.checkFromIndexSize(arrayOffset, length, array.length);
    }

    /** A copy of the bytes alone. */
    public byte[] bytes() {
        return Arrays.copyOfRange(array, arrayOffset, arrayOffset + length);
    }
}
