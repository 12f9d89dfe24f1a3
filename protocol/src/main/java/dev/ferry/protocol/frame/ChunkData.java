package dev.ferry.protocol.frame;

/**
 * File bytes received on a stream, decompressed and checked against their CRC32C.
 *
 * @param streamId stream of the file
 * @param offset position of the first byte in the file
 * @param data exactly the chunk's bytes
 * @param wireBytes how many payload bytes the chunk took on the wire
 */
public record ChunkData(int streamId, long offset, byte[] data, int wireBytes) {
}
