package dev.ferry.protocol.frame;

/**
 * File bytes to send on a stream, before compression and checksumming ({@link ChunkEncoder} does
 * both). {@code data[0, length)} is sent; the array is not touched after it is handed over.
 *
 * @param streamId stream of the file
 * @param offset position of the first byte in the file
 * @param data the bytes
 * @param length how many of {@code data} to send
 */
public record RawChunk(int streamId, long offset, byte[] data, int length) {
}
